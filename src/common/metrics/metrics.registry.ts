import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

  counter<L extends string = never>(name: string, help: string, labelNames: L[] = []): Counter<L> {
    return (
      (this.registry.getSingleMetric(name) as Counter<L> | undefined) ??
      new Counter({ name, help, labelNames, registers: [this.registry] })
    );
  }

  /**
   * A gauge; with `collect`, its value is read at each scrape (from MongoDB, say), so any replica's /metrics
   * shows state that another process wrote.
   */
  gauge<L extends string = never>(
    name: string,
    help: string,
    labelNames: L[] = [],
    collect?: (gauge: Gauge<L>) => Promise<void>,
  ): Gauge<L> {
    return (
      (this.registry.getSingleMetric(name) as Gauge<L> | undefined) ??
      new Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        ...(collect && {
          async collect(this: Gauge<L>) {
            await collect(this);
          },
        }),
      })
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
