import { serialize } from 'bson';
import fc from 'fast-check';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../storage/store';
import { DataDirectory } from './data-directory';

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
      id: fc.integer({ min: 0, max: 15 }),
      v: fc.integer({ min: 0, max: 99 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), coll, id: fc.integer({ min: 0, max: 15 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('index' as const), coll }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropIndex' as const), coll }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropCollection' as const), coll }) },
);

function apply(store: Store, op: Op): void {
  const c = store.ensureCollection('db', op.coll);
  const existing =
    'id' in op ? c.docs.get([...c.docs.keys()].find((k) => c.docs.get(k)!._id === op.id) ?? '') : undefined;
  if (op.kind === 'put') {
    const doc = { _id: op.id, v: op.v, pad: 'x'.repeat(op.v) };
    if (existing) store.replace(c, existing, doc);
    else store.insert(c, doc);
  } else if (op.kind === 'delete') {
    if (existing) store.remove(c, existing);
  } else if (op.kind === 'index') {
    if (!c.indexes.has('v_1')) store.createIndex(c, { name: 'v_1', key: { v: 1 } });
  } else if (op.kind === 'dropIndex') {
    if (c.indexes.has('v_1')) store.dropIndex(c, 'v_1');
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

describe(DataDirectory.name, () => {
  it('recovers exactly the committed state from snapshot plus journal, at any point of a random history', () => {
    const root = mkdtempSync(join(tmpdir(), 'embedded-mongo-dd-'));
    let run = 0;
    try {
      fc.assert(
        fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
          const dir = join(root, `live-${run}`);
          const crashed = join(root, `crashed-${run++}`);
          const store = new Store();
          // A tiny compaction threshold makes histories cross several snapshot generations.
          const data = DataDirectory.open(dir, store, {
            compactAfterBytes: 1500,
            onError: (m) => {
              throw new Error(m);
            },
          });
          for (const op of ops) {
            apply(store, op);
            data.commit();
          }
          // Copy the files as a killed process would leave them: no final snapshot, lock left behind.
          cpSync(dir, crashed, { recursive: true });
          const recovered = new Store();
          const reopened = DataDirectory.open(crashed, recovered, {
            onError: (m) => {
              throw new Error(m);
            },
          });
          expect(state(recovered)).toBe(state(store));
          reopened.close();
          data.close();
        }),
        { numRuns: 60 },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
