import { DemoStep } from '../demo-context';
import { callApi, forEachConcurrently } from '../http-client';

const BATCH = 500;

interface IngestResult {
  accepted: number;
  duplicates: number;
}

/** Sends every synthetic event in batches of 500 over HTTP, four requests at a time. */
export const sendEventsStep: DemoStep = {
  title: 'Send activity events (POST /v1/events, batches of 500)',
  async run(context) {
    const batches = [];
    for (let i = 0; i < context.events.length; i += BATCH) batches.push(context.events.slice(i, i + BATCH));
    const totals = { accepted: 0, duplicates: 0 };
    const started = process.hrtime.bigint();
    await forEachConcurrently(batches, 4, async (events) => {
      const result = await callApi<IngestResult>(context.baseUrl, context.tokens.ingest, 'POST', '/v1/events', {
        events,
      });
      totals.accepted += result.accepted;
      totals.duplicates += result.duplicates;
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    context.report.events = {
      sent: context.events.length,
      batches: batches.length,
      ...totals,
      seconds: Number(seconds.toFixed(2)),
      eventsPerSecond: Math.round(context.events.length / seconds),
    };
    context.log(
      `${totals.accepted} events accepted in ${seconds.toFixed(2)} s (${Math.round(context.events.length / seconds)} events/s)`,
    );
  },
};

/** Sends the first batch again: the API reports duplicates and stores nothing twice. */
export const replayBatchStep: DemoStep = {
  title: 'Replay one batch to show idempotency',
  async run(context) {
    const events = context.events.slice(0, BATCH);
    const result = await callApi<IngestResult>(context.baseUrl, context.tokens.ingest, 'POST', '/v1/events', {
      events,
    });
    context.report.replay = { sent: events.length, ...result };
    context.log(`replayed ${events.length} events: ${result.accepted} accepted, ${result.duplicates} duplicates`);
  },
};
