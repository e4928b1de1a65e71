import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { withinMs } from '../../lib/concurrency/within-ms';

/**
 * How long a scrape waits for a value read from MongoDB or Redis. Past it, or when the read fails, the page goes
 * out without that metric: a hung database must not take every other metric down with it.
 */
const COLLECT_TIMEOUT_MS = 1000;

/** prom-client's `collect` option for a scrape-time read, which leaves the metric empty when the read fails or is late. */
function scrapeTime<M extends { reset(): void }>(collect?: (metric: M) => Promise<void>) {
  return (
    collect && {
      async collect(this: M) {
        try {
          await withinMs(collect(this), COLLECT_TIMEOUT_MS);
        } catch {
          this.reset();
        }
      },
    }
  );
}

/**
 * One Prometheus registry per app instance (not prom-client's global one), so several apps can run in
 * one process, as they do in tests. Modules create their metrics here.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'journeycast_' });
  }

  /** A counter; with `collect`, its values are read at each scrape (from Redis, say), like a gauge's. */
  counter<L extends string = never>(
    name: string,
    help: string,
    labelNames: L[] = [],
    collect?: (counter: Counter<L>) => Promise<void>,
  ): Counter<L> {
    return (
      (this.registry.getSingleMetric(name) as Counter<L> | undefined) ??
      new Counter({ name, help, labelNames, registers: [this.registry], ...scrapeTime(collect) })
    );
  }

  /**
   * A gauge; with `collect`, its value is read at each scrape (from MongoDB, say), so any replica's /metrics
   * shows state that another process wrote. A read that fails or takes over a second leaves it out of that page.
   */
  gauge<L extends string = never>(
    name: string,
    help: string,
    labelNames: L[] = [],
    collect?: (gauge: Gauge<L>) => Promise<void>,
  ): Gauge<L> {
    return (
      (this.registry.getSingleMetric(name) as Gauge<L> | undefined) ??
      new Gauge({ name, help, labelNames, registers: [this.registry], ...scrapeTime(collect) })
    );
  }

  histogram<L extends string = never>(name: string, help: string, labelNames: L[], buckets: number[]): Histogram<L> {
    return (
      (this.registry.getSingleMetric(name) as Histogram<L> | undefined) ??
      new Histogram({ name, help, labelNames, buckets, registers: [this.registry] })
    );
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
