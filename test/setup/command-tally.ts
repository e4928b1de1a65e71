import Redis from 'ioredis';
import * as commands from '../../src/embedded-mongo/commands/dispatch';

/**
 * One (command, collection) row: round trips, statements sent, documents written, the handler's time, and
 * the round trips that came back empty (a find that found nothing, a write that matched nothing).
 */
export interface Work {
  calls: number;
  docs: number;
  written: number;
  ns: number;
  empty: number;
}

/** How a command is named in the tally: by default its name and collection (`find notifications`). */
export type CommandKey = (body: Record<string, unknown>) => string;

const STATEMENT_FIELDS: Record<string, string> = { insert: 'documents', update: 'updates', delete: 'deletes' };

export const byNameAndCollection: CommandKey = (body) => {
  const name = Object.keys(body)[0];
  return `${name} ${typeof body[name] === 'string' ? (body[name] as string) : ''}`;
};

/**
 * Counts every command the embedded server in this process runs until `stop()`, by `key`: the server calls
 * the dispatch module's export on every command, so wrapping it sees them all. `take()` returns the rows
 * counted since the last take and starts a new tally.
 */
export function countCommands(key: CommandKey = byNameAndCollection): {
  take(): Map<string, Work>;
  stop(): void;
} {
  const original = commands.dispatch;
  let tally = new Map<string, Work>();
  (commands as { dispatch: typeof original }).dispatch = (body, ctx) => {
    const started = process.hrtime.bigint();
    const reply = original(body, ctx);
    const rows = tally;
    const add = (r: Record<string, unknown>) =>
      count(rows, key(body), body, r, Number(process.hrtime.bigint() - started));
    if (reply instanceof Promise) void reply.then(add);
    else add(reply);
    return reply;
  };
  return {
    take: () => {
      const taken = tally;
      tally = new Map();
      return taken;
    },
    stop: () => void ((commands as { dispatch: typeof original }).dispatch = original),
  };
}

/** The rows summed into one. */
export function totalWork(rows: Iterable<Work>): Work {
  const total = { calls: 0, docs: 0, written: 0, ns: 0, empty: 0 };
  for (const r of rows) {
    total.calls += r.calls;
    total.docs += r.docs;
    total.written += r.written;
    total.ns += r.ns;
    total.empty += r.empty;
  }
  return total;
}

/** Calls of each Redis command so far (`INFO commandstats`). */
export async function redisCommandCalls(url: string): Promise<Map<string, number>> {
  const client = new Redis(url);
  try {
    const info = await client.info('commandstats');
    return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
  } finally {
    client.disconnect();
  }
}

/** Adds one command to its row: statements sent (of a bulk write, or documents inserted), documents written (the reply's n), time. */
function count(
  tally: Map<string, Work>,
  key: string,
  body: Record<string, unknown>,
  reply: Record<string, unknown>,
  ns: number,
): void {
  const field = STATEMENT_FIELDS[Object.keys(body)[0]];
  const docs = field && Array.isArray(body[field]) ? (body[field] as unknown[]).length : 0;
  const written = field && typeof reply.n === 'number' ? reply.n : 0;
  const row = tally.get(key) ?? { calls: 0, docs: 0, written: 0, ns: 0, empty: 0 };
  tally.set(key, {
    calls: row.calls + 1,
    docs: row.docs + docs,
    written: row.written + written,
    ns: row.ns + ns,
    empty: row.empty + (cameBackEmpty(Object.keys(body)[0], reply) ? 1 : 0),
  });
}

/** A find with no document in its first batch, a findAndModify or write that matched none. */
function cameBackEmpty(name: string, reply: Record<string, unknown>): boolean {
  if (name === 'find') return ((reply.cursor as { firstBatch?: unknown[] } | undefined)?.firstBatch?.length ?? 0) === 0;
  if (name === 'findAndModify') return (reply.lastErrorObject as { n?: number } | undefined)?.n === 0;
  if (name in STATEMENT_FIELDS) return reply.n === 0;
  return false;
}
