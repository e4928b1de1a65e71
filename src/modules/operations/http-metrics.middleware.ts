import { Injectable, NestMiddleware } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '../../common/metrics/metrics.registry';

type RoutedRequest = IncomingMessage & { route?: { path?: string }; baseUrl?: string };

/** Request counts, latencies and the in-flight gauge that graceful shutdown drains. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;
  private readonly inFlight: Gauge;

  constructor(metrics: MetricsRegistry) {
    this.requests = metrics.counter('journeycast_http_requests_total', 'HTTP requests', ['method', 'route', 'status']);
    this.duration = metrics.histogram(
      'journeycast_http_request_duration_seconds',
      'HTTP latency',
      ['method', 'route'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    );
    this.inFlight = metrics.gauge('journeycast_http_requests_in_flight', 'HTTP requests being served');
  }

  use(req: RoutedRequest, res: ServerResponse, next: () => void): void {
    const stop = this.duration.startTimer();
    this.inFlight.inc();
    res.once('close', () => {
      // The matched route pattern keeps label cardinality bounded (never the raw URL with user ids).
      const route = req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : 'unmatched';
      this.inFlight.dec();
      stop({ method: req.method, route });
      this.requests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  }
}
