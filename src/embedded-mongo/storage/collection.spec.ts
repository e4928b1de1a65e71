import fc from 'fast-check';
import { Collection } from './collection';
import { CollectionIndex } from './collection-index';
import { Doc } from './documents';

const scalar = fc.oneof(
  fc.integer({ min: -2, max: 2 }),
  fc.constantFrom('a', 'b'),
  fc.constantFrom(new Date(0), new Date(5000)),
  fc.constant(null),
);
const leaf = fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.record({ x: scalar }, { noNullPrototype: true }));
const body = fc.record(
  { a: leaf, b: fc.record({ c: leaf }, { requiredKeys: [], noNullPrototype: true }), other: leaf },
  { requiredKeys: [], noNullPrototype: true },
);

/** Every index's (key, id) entries, for comparing a collection's indexes with a rebuilt one's. */
function entriesOf(collection: Collection): Record<string, Array<[string, string]>> {
  return Object.fromEntries(
    [...collection.indexes].map(([name, index]) => [name, [...index.entries.range(null, null)]]),
  );
}

function withIndexes(): Collection {
  const collection = new Collection('db', 'c');
  collection.addIndex({ name: 'a_1', key: { a: 1 } });
  collection.addIndex({ name: 'bc_1_a_-1', key: { 'b.c': 1, a: -1 } });
  collection.addIndex({ name: 'sparse_bc', key: { 'b.c': 1 }, sparse: true });
  return collection;
}

describe('Collection.replace', () => {
  it('leaves every index as a rebuild from the final documents would, whatever fields a new version changes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(body, body, fc.boolean()), { minLength: 1, maxLength: 6 }), (pairs) => {
        const collection = withIndexes();
        const finals: Doc[] = [];
        pairs.forEach(([first, second, keepIndexed], i) => {
          const previous: Doc = { _id: i, ...first };
          collection.insert(previous);
          // Half of the new versions keep the indexed fields (an update of other fields), half change anything.
          const next: Doc = keepIndexed ? { ...structuredClone(previous), other: second.other } : { _id: i, ...second };
          collection.replace(previous, next);
          finals.push(next);
        });
        const rebuilt = withIndexes();
        for (const doc of finals) rebuilt.insert(doc);
        expect(entriesOf(collection)).toEqual(entriesOf(rebuilt));
      }),
      { numRuns: 300 },
    );
  });

  it('still refuses a new version that takes another document’s unique key', () => {
    const collection = new Collection('db', 'c');
    collection.addIndex({ name: 'k_1', key: { k: 1 }, unique: true });
    const one = { _id: 1, k: 'one', n: 1 };
    collection.insert(one);
    collection.insert({ _id: 2, k: 'two' });
    collection.replace(one, { _id: 1, k: 'one', n: 2 });
    expect(() =>
      collection.replace(collection.docs.get([...collection.docs.keys()][0])!, { _id: 1, k: 'two' }),
    ).toThrow(/E11000/);
  });
});

describe('CollectionIndex.keysFor', () => {
  it('gives an index of top-level fields the keys the same fields one level down give', () => {
    const pair = (key: Record<string, 1 | -1>, sparse: boolean) => {
      const nested = Object.fromEntries(Object.entries(key).map(([field, dir]) => [`w.${field}`, dir]));
      return [
        new CollectionIndex({ name: 'top', key, sparse }),
        new CollectionIndex({ name: 'nested', key: nested, sparse }),
      ] as const;
    };
    fc.assert(
      fc.property(body, fc.boolean(), (doc, sparse) => {
        const keys: Array<Record<string, 1 | -1>> = [{ a: 1 }, { a: 1, other: -1 }, { other: -1, a: 1, missing: 1 }];
        for (const key of keys) {
          const [top, nested] = pair(key, sparse);
          expect(top.keysFor({ _id: 1, ...doc })).toEqual(nested.keysFor({ _id: 1, w: doc }));
          expect(top.multikey).toBe(nested.multikey);
        }
      }),
      { numRuns: 300 },
    );
  });
});
