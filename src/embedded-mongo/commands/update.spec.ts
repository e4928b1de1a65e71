import fc from 'fast-check';
import { Collection } from '../storage/collection';
import { IndexSpec } from '../storage/collection-index';
import { encodeDocument } from '../storage/document-map';
import { Doc } from '../storage/documents';
import { applyUpdate } from '../storage/update/apply-update';
import { Store } from '../storage/store';
import { CommandContext } from './context';
import { updateCommands } from './update';

const INDEXES: IndexSpec[] = [
  { name: 'k_1', key: { k: 1 }, unique: true },
  { name: 'a_1_s_-1', key: { a: 1, s: -1 } },
  { name: 'bc_1', key: { 'b.c': 1 } },
  { name: 's_1', key: { s: 1 }, sparse: true },
  { name: 'bc_sparse', key: { 'b.c': 1, a: 1 }, sparse: true },
  { name: 'tags_1', key: { tags: 1 } },
];

function setUp(): { store: Store; collection: Collection; ctx: CommandContext } {
  const store = new Store();
  const collection = store.ensureCollection('db', 'c');
  for (const spec of INDEXES) store.createIndex(collection, spec);
  const ctx = { store, db: 'db', connectionId: 1, largestDocument: 0 } as unknown as CommandContext;
  return { store, collection, ctx };
}

const update = (ctx: CommandContext, updates: Doc[]) => updateCommands.update({ update: 'c', updates }, ctx) as Doc;

/** Every index's (key, id) entries, for comparing a collection's indexes with a rebuilt one's. */
function entriesOf(collection: Collection): Record<string, Array<[string, string]>> {
  return Object.fromEntries(
    [...collection.indexes].map(([name, index]) => [name, [...index.entries.range(null, null)]]),
  );
}

function rebuilt(collection: Collection): Collection {
  const { collection: fresh } = setUp();
  for (const doc of collection.docs.values()) fresh.insert(doc);
  return fresh;
}

const scalar = fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constantFrom('x', 'y'), fc.constant(null));
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.record({ c: scalar }, { noNullPrototype: true }));
const path = fc.constantFrom('a', 's', 'b', 'b.c', 'b.d', 'tags', 'tags.0', 'other', 'big.x');
const operatorUpdate = fc.oneof(
  fc.record({ $set: fc.dictionary(path, value, { minKeys: 1, maxKeys: 1 }) }, { noNullPrototype: true }),
  fc.record({ $unset: fc.dictionary(path, fc.constant(''), { minKeys: 1, maxKeys: 1 }) }, { noNullPrototype: true }),
  fc.record({ $push: fc.dictionary(fc.constantFrom('tags', 'list'), scalar, { minKeys: 1, maxKeys: 1 }) }),
);

describe('update', () => {
  it('leaves every index as a rebuild from the updated documents would, whatever fields the update names', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ a: value, s: value, tags: value, other: value }, { requiredKeys: [] }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.tuple(fc.nat(4), operatorUpdate), { minLength: 1, maxLength: 6 }),
        (bodies, updates) => {
          const { store, collection, ctx } = setUp();
          const model = bodies.map((body, i) => ({ _id: i, k: i, b: { c: i % 2, d: 1 }, big: {}, ...body }) as Doc);
          for (const doc of model) store.insert(collection, doc);
          for (const [target, u] of updates) {
            update(ctx, [{ q: { k: target }, u }]);
            // The same update of the whole document, as the store would have it.
            if (target >= model.length) continue;
            try {
              model[target] = applyUpdate(model[target], u).doc;
            } catch {
              // Refused: the stored document stays as it was.
            }
          }
          expect(entriesOf(collection)).toEqual(entriesOf(rebuilt(collection)));
          expect([...collection.docs.encodedEntries()].map(([, bytes]) => bytes)).toEqual(model.map(encodeDocument));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('moves the entries of the indexes an update changes and keeps the others', () => {
    const { store, collection, ctx } = setUp();
    store.insert(collection, { _id: 1, k: 'one', a: 1, b: { c: 'r1', d: 1 }, tags: ['t1', 't2'], other: 0 });
    const before = entriesOf(collection);
    expect(update(ctx, [{ q: { k: 'one' }, u: { $set: { other: 1, 'b.d': 2 } } }])).toMatchObject({
      n: 1,
      nModified: 1,
    });
    expect(entriesOf(collection)).toEqual(before);

    update(ctx, [{ q: { k: 'one' }, u: { $set: { 'b.c': 'r2', s: 5 }, $pull: { tags: 't1' } } }]);
    const after = entriesOf(collection);
    expect(after.k_1).toEqual(before.k_1);
    expect(after.bc_1).not.toEqual(before.bc_1);
    expect(after.s_1).toHaveLength(1);
    expect(after.tags_1).toHaveLength(1);
    expect(after).toEqual(entriesOf(rebuilt(collection)));

    // An unset indexed field leaves a sparse index (unless another of its fields is present) and is indexed
    // as missing by the others.
    update(ctx, [{ q: { k: 'one' }, u: { $unset: { s: 1, b: 1 } } }]);
    expect(entriesOf(collection).s_1).toEqual([]);
    expect(entriesOf(collection).bc_sparse).toHaveLength(1);
    update(ctx, [{ q: { k: 'one' }, u: { $unset: { a: 1 } } }]);
    expect(entriesOf(collection).bc_sparse).toEqual([]);
    expect(entriesOf(collection)).toEqual(entriesOf(rebuilt(collection)));
  });

  it('refuses an update that takes another document’s unique key, filtered by other fields, and changes nothing', () => {
    const { store, collection, ctx } = setUp();
    store.insert(collection, { _id: 1, k: 'one', a: 1 });
    store.insert(collection, { _id: 2, k: 'two', a: 2 });
    const before = entriesOf(collection);
    const reply = update(ctx, [{ q: { a: 2 }, u: { $set: { k: 'one', s: 1 } } }]);
    expect(reply).toMatchObject({ n: 0, nModified: 0, writeErrors: [{ index: 0, code: 11000 }] });
    expect(entriesOf(collection)).toEqual(before);
    expect(collection.docs.get(collection.docs.keys().next().value!)).toEqual({ _id: 1, k: 'one', a: 1 });
  });
});
