import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '../../common/metrics/metrics.registry';
import { InsertResult } from './event.repository';

/** Ingest counters on the app's Prometheus registry. */
@Injectable()
export class IngestMetrics {
  private readonly events: Counter<'result'>;
  private readonly rejected: Counter;

  constructor(registry: MetricsRegistry) {
    this.events = registry.counter('journeycast_ingest_events_total', 'Events received, by result', ['result']);
    this.rejected = registry.counter('journeycast_ingest_batches_rejected_total', 'Event batches rejected as invalid');
  }

  eventsStored(result: InsertResult & { erased: number }): void {
    this.events.inc({ result: 'accepted' }, result.accepted);
    this.events.inc({ result: 'duplicate' }, result.duplicates);
    this.events.inc({ result: 'erased' }, result.erased);
  }

  batchRejected(): void {
    this.rejected.inc();
  }
}
