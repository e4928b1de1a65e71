import { serialize } from 'bson';
import fc from 'fast-check';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../storage/store';
import { DataDirectory } from './data-directory';
import { SNAPSHOT_FILE } from './snapshot';

type Op =
  | { kind: 'put'; coll: string; id: number; v: number }
  | { kind: 'delete'; coll: string; id: number }
  | { kind: 'index'; coll: string }
  | { kind: 'dropIndex'; coll: string }
  | { kind: 'dropCollection'; coll: string };

const coll = fc.constantFrom('a', 'b');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      coll,
      id: fc.integer({ min: 0, max: 6 }),
      v: fc.integer({ min: 0, max: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), coll, id: fc.integer({ min: 0, max: 6 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('index' as const), coll }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropIndex' as const), coll }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropCollection' as const), coll }) },
);

function ignoreDuplicates(write: () => void): void {
  try {
    write();
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
  }
}

function apply(store: Store, op: Op): void {
  const c = store.ensureCollection('db', op.coll);
  // v is unique in every collection: a snapshot mixing versions of different instants could not be loaded.
  if (!c.indexes.has('v_1')) store.createIndex(c, { name: 'v_1', key: { v: 1 }, unique: true });
  const existing =
    'id' in op ? c.docs.get([...c.docs.keys()].find((k) => c.docs.get(k)!._id === op.id) ?? '') : undefined;
  if (op.kind === 'put') {
    const doc = { _id: op.id, v: op.v, pad: 'x'.repeat(op.v) };
    ignoreDuplicates(() => (existing ? store.replace(c, existing, doc) : store.insert(c, doc)));
  } else if (op.kind === 'delete') {
    if (existing) store.remove(c, existing);
  } else if (op.kind === 'index') {
    if (!c.indexes.has('pad_1')) store.createIndex(c, { name: 'pad_1', key: { pad: 1 } });
  } else if (op.kind === 'dropIndex') {
    if (c.indexes.has('pad_1')) store.dropIndex(c, 'pad_1');
  } else {
    store.dropCollection('db', op.coll);
  }
}

function state(store: Store): string {
  const out: unknown[] = [];
  for (const [db, collections] of [...store.databases].sort()) {
    for (const [name, c] of [...collections].sort()) {
      const docs = [...c.docs.values()].sort((x, y) => Number(x._id) - Number(y._id));
      out.push([db, name, [...c.indexes.keys()].sort(), Buffer.from(serialize({ docs })).toString('base64')]);
    }
  }
  return JSON.stringify(out);
}

function openQuiet(dir: string, store: Store): DataDirectory {
  // Snapshots here are explicit (compact), in chunks of one record, so writes interleave with every chunk.
  return DataDirectory.open(dir, store, {
    compactAfterBytes: Number.MAX_SAFE_INTEGER,
    snapshotChunkBytes: 1,
    onError: (m) => {
      throw new Error(m);
    },
  });
}

describe(DataDirectory.name, () => {
  it('recovers exactly the state at any crash point, also while a snapshot is written and writes go on', async () => {
    const root = mkdtempSync(join(tmpdir(), 'embedded-mongo-dd-'));
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof({ weight: 12, arbitrary: opArb }, { weight: 1, arbitrary: fc.constant('snapshot' as const) }),
            {
              minLength: 1,
              maxLength: 60,
            },
          ),
          fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 4 }),
          async (steps, crashAt) => {
            const dir = join(root, `live-${run++}`);
            const store = new Store();
            const data = openQuiet(dir, store);
            const crashes: Array<{ copy: string; expected: string }> = [];
            let tick = 0;
            const maybeCrash = () => {
              if (!crashAt.includes(tick++)) return;
              // A killed process leaves the files as they are: a half-written snapshot, lock and all.
              const copy = join(root, `crashed-${run}-${tick}`);
              cpSync(dir, copy, { recursive: true });
              crashes.push({ copy, expected: state(store) });
            };
            const queue = [...steps];
            const next = () => {
              const step = queue.shift()!;
              if (step !== 'snapshot') {
                apply(store, step);
                data.commit();
              }
              maybeCrash();
            };
            while (queue.length > 0) {
              if (queue[0] !== 'snapshot') next();
              else {
                queue.shift();
                // Between chunks of the snapshot, the history goes on.
                data.compact(() => {
                  if (queue.length > 0 && queue[0] !== 'snapshot') next();
                  else maybeCrash();
                });
              }
            }
            for (const { copy, expected } of crashes) {
              const recovered = new Store();
              const reopened = openQuiet(copy, recovered);
              expect(state(recovered)).toBe(expected);
              await reopened.close();
            }
            const final = state(store);
            await data.close();
            const reopened = new Store();
            await openQuiet(dir, reopened).close();
            expect(state(reopened)).toBe(final);
          },
        ),
        { numRuns: 80 },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('writes each document as it was when the snapshot began, even when a unique value moves meanwhile', async () => {
    const root = mkdtempSync(join(tmpdir(), 'embedded-mongo-cow-'));
    try {
      const store = new Store();
      const data = openQuiet(join(root, 'live'), store);
      const c = store.ensureCollection('db', 'a');
      store.createIndex(c, { name: 'v_1', key: { v: 1 }, unique: true });
      store.insert(c, { _id: 1, v: 1 });
      store.insert(c, { _id: 2, v: 2 });
      data.commit();
      const byId = (id: number) => [...c.docs.values()].find((d) => d._id === id)!;
      let chunk = 0;
      data.compact(() => {
        // The walk has written document 1 (v: 1) but not yet document 2: v 1 moves from 1 to 2.
        if (++chunk !== 1) return;
        store.replace(c, byId(1), { _id: 1, v: 9 });
        store.replace(c, byId(2), { _id: 2, v: 1 });
        data.commit();
      });
      cpSync(join(root, 'live'), join(root, 'crashed'), { recursive: true });
      const recovered = new Store();
      await openQuiet(join(root, 'crashed'), recovered).close();
      expect(state(recovered)).toBe(state(store));
      await data.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('stops copying documents for a snapshot whose file cannot be opened', async () => {
    const root = mkdtempSync(join(tmpdir(), 'embedded-mongo-open-'));
    try {
      const store = new Store();
      const data = openQuiet(join(root, 'live'), store);
      const c = store.ensureCollection('db', 'a');
      store.insert(c, { _id: 1, v: 1 });
      data.commit();
      // The snapshot's temporary file cannot be created (a directory holds its name).
      mkdirSync(join(root, 'live', `${SNAPSHOT_FILE}.tmp`));
      await expect(data.snapshot()).rejects.toThrow();
      // Nothing keeps copying every changed document for a snapshot that will never be written.
      expect(store.capture).toBeNull();
      rmSync(join(root, 'live', `${SNAPSHOT_FILE}.tmp`), { recursive: true });
      store.insert(c, { _id: 2, v: 2 });
      data.commit();
      await data.snapshot();
      const recovered = new Store();
      await data.close();
      await openQuiet(join(root, 'live'), recovered).close();
      expect(state(recovered)).toBe(state(store));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
