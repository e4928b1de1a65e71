import { Connection } from 'mongoose';
import { RawEvent } from '../../../src/lib/synthetic/population';
import { LoadResult, runLoad } from './latency';

/** Fills the events collection up to `target` documents with cheap synthetic events (driver inserts). */
export async function prefillEvents(db: Connection, target: number, log: (line: string) => void): Promise<number> {
  const events = db.collection('events');
  let count = await events.countDocuments();
  if (count >= target) return count;
  const tag = Date.now().toString(36);
  const started = performance.now();
  const now = Date.now();
  for (let n = 0; count < target; n++) {
    const docs = Array.from({ length: Math.min(10_000, target - count) }, (_, j) => {
      const i = n * 10_000 + j;
      return {
        id: `fill-${tag}-${i}`,
        userId: `fill-user-${i % 50_000}`,
        type: 'search',
        occurredAt: new Date(now - (i % 1_000_000) * 60_000),
        query: `kitchen idea ${i % 5000}`,
        receivedAt: new Date(now),
      };
    });
    await events.insertMany(docs, { ordered: false });
    count += docs.length;
    if (n % 20 === 0) log(`  prefill: ${count} events (${Math.round((performance.now() - started) / 1000)} s)`);
  }
  return count;
}

/** Posts one batch; fails unless it is answered 200 (and, when `fresh`, every event is accepted). */
export async function postBatch(baseUrl: string, token: string, events: RawEvent[], fresh = true): Promise<void> {
  const res = await fetch(`${baseUrl}/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  const body = (await res.json()) as { accepted: number };
  if (res.status !== 200 || (fresh && body.accepted !== events.length)) throw new Error(`batch failed: ${res.status}`);
}

/** `clients` concurrent POST /v1/events loops over `batches`, with a /health ping from another client. */
export function loadOverHttp(
  baseUrl: string,
  token: string,
  batches: RawEvent[][],
  clients: number,
): Promise<LoadResult> {
  return runLoad(
    batches,
    clients,
    (events) => postBatch(baseUrl, token, events),
    async () => {
      await (await fetch(`${baseUrl}/health`)).arrayBuffer();
    },
  );
}

/** The baseline: the same batches as `clients` concurrent driver insertMany loops into the same collection. */
export function loadThroughDriver(db: Connection, batches: RawEvent[][], clients: number): Promise<LoadResult> {
  const events = db.collection('events');
  return runLoad(batches, clients, async (batch) => {
    const receivedAt = new Date();
    await events.insertMany(
      batch.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt), receivedAt })),
      { ordered: false },
    );
  });
}
