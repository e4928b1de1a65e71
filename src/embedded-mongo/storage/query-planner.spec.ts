import fc from 'fast-check';
import { Collection } from './collection';
import { Doc, valuesAtPath } from './documents';
import { encodeValue } from './key-encoding';
import { scan } from './plan-reader';
import { runFind } from './query-executor';

const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('a', 'b', ''),
  fc.constantFrom(new Date(0), new Date(5000)),
  fc.boolean(),
);
const leaf = fc.oneof(scalar, fc.constant(null), fc.array(scalar, { maxLength: 3 }));
const docArb = fc.record(
  {
    a: leaf,
    b: fc.oneof(
      fc.record({ c: leaf }, { requiredKeys: [], noNullPrototype: true }),
      fc.array(fc.record({ c: scalar }, { noNullPrototype: true }), { maxLength: 2 }),
    ),
    n: fc.integer({ min: 0, max: 5 }),
  },
  { requiredKeys: ['n'], noNullPrototype: true },
);
const rangeValue = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('a', 'b'),
  fc.constantFrom(new Date(0), new Date(5000)),
);
const condition = fc.oneof(
  scalar,
  fc.constant(null),
  fc.record({ $in: fc.array(fc.oneof(scalar, fc.constant(null)), { maxLength: 3 }) }, { noNullPrototype: true }),
  fc.record(
    { $gt: rangeValue, $gte: rangeValue, $lt: rangeValue, $lte: rangeValue },
    { requiredKeys: [], noNullPrototype: true },
  ),
  fc.record({ $ne: scalar }, { noNullPrototype: true }),
  fc.record({ $exists: fc.boolean() }, { noNullPrototype: true }),
);
const clause = fc.record({ a: condition, 'b.c': condition, n: condition }, { requiredKeys: [], noNullPrototype: true });
const filterArb = fc.oneof(
  clause,
  fc.array(clause, { minLength: 1, maxLength: 3 }).map((and) => ({ $and: and })),
);

/** MongoDB's ascending sort key for `a`: the smallest element of an array. */
const sortKeyOfA = (doc: Doc) =>
  valuesAtPath(doc, 'a')
    .map((v) => encodeValue(v))
    .sort()[0];

describe('query planning', () => {
  it('returns exactly what a collection scan returns, whichever index it picks', () => {
    fc.assert(
      fc.property(
        fc.array(docArb, { maxLength: 40 }),
        fc.array(filterArb, { minLength: 1, maxLength: 10 }),
        (docs, filters) => {
          const collection = new Collection('db', 'c');
          docs.forEach((doc, i) => collection.insert({ _id: i, ...doc } as Doc));
          collection.addIndex({ name: 'a_1', key: { a: 1 } });
          collection.addIndex({ name: 'bc_1', key: { 'b.c': -1 } });
          collection.addIndex({ name: 'a_n', key: { a: 1, n: 1 } });
          for (const filter of filters) {
            const viaPlan = runFind(collection, { filter }).map((d) => d._id);
            const viaScan = runFind(collection, { filter, hint: { $natural: 1 } }).map((d) => d._id);
            expect([filter, [...viaPlan].sort()]).toEqual([filter, [...viaScan].sort()]);
            // Ties may come out in any order (as in MongoDB), so compare the sort keys, not the ids.
            const sorted = runFind(collection, { filter, sort: { a: 1 }, limit: 3 }).map(sortKeyOfA);
            const sortedScan = runFind(collection, { filter, sort: { a: 1 }, limit: 3, hint: { $natural: 1 } }).map(
              sortKeyOfA,
            );
            expect(sorted).toEqual(sortedScan);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives the order of a sort the chosen index holds, over several $in intervals, as a scan and sort does', () => {
    const values = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', null));
    const sorts: Doc[] = [{ a: 1 }, { a: -1 }, { a: 1, n: 1 }, { a: -1, n: -1 }, { n: 1 }, { n: -1 }];
    const keysOf = (doc: Doc, sort: Doc) => Object.keys(sort).map((f) => encodeValue(valuesAtPath(doc, f)[0]));
    fc.assert(
      fc.property(
        fc.array(fc.record({ a: values, n: fc.integer({ min: 0, max: 5 }) }, { noNullPrototype: true }), {
          maxLength: 40,
        }),
        fc.array(values, { maxLength: 4 }),
        fc.constantFrom(...sorts),
        fc.integer({ min: 0, max: 5 }),
        (docs, among, sort, limit) => {
          const collection = new Collection('db', 'c');
          docs.forEach((doc, i) => collection.insert({ _id: docs.length - i, ...doc } as Doc));
          collection.addIndex({ name: 'a_n', key: { a: 1, n: 1 } });
          // One value fixes `a`, so the index also holds the order of `n` alone.
          const filter = among.length === 1 ? { a: among[0] } : { a: { $in: among } };
          const viaPlan = runFind(collection, { filter, sort, limit });
          const viaScan = runFind(collection, { filter, sort, limit, hint: { $natural: 1 } });
          expect(viaPlan.map((d) => keysOf(d, sort))).toEqual(viaScan.map((d) => keysOf(d, sort)));
          if (limit === 0) expect(viaPlan.map((d) => d._id).sort()).toEqual(viaScan.map((d) => d._id).sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads each document of a multi-interval plan once, and skips no index order it cannot give', () => {
    const collection = new Collection('db', 'c');
    for (let i = 0; i < 100; i++) collection.insert({ _id: i, a: i % 10, n: 100 - i, tags: [i % 3, (i + 1) % 3] });
    collection.addIndex({ name: 'a_n', key: { a: 1, n: 1 } });
    collection.addIndex({ name: 'tags_1', key: { tags: 1 } });
    const inA = runFind(collection, { filter: { a: { $in: [7, 2, 7, 5] } }, sort: { a: 1, n: 1 } });
    expect(inA.map((d) => [d.a, d.n])).toEqual(
      [2, 5, 7].flatMap((a) => Array.from({ length: 10 }, (_, k) => [a, 100 - (a + 10 * (9 - k))])),
    );
    // Several values of `a`: `n` alone is not in index order across them, so the sort still runs.
    const byN = runFind(collection, { filter: { a: { $in: [1, 2] } }, sort: { n: 1 } }).map((d) => d.n as number);
    expect(byN).toEqual([...byN].sort((x, y) => x - y));
    expect(byN).toHaveLength(20);
    // A multikey index lists a document under each element: it comes back once, sorted by its smallest.
    const tagged = runFind(collection, { filter: { tags: { $in: [0, 1, 2] } }, sort: { tags: 1 } });
    expect(tagged).toHaveLength(100);
    expect(new Set(tagged.map((d) => d._id)).size).toBe(100);
  });

  it('reads only the matching keys for equality, range and compound-prefix filters', () => {
    const collection = new Collection('db', 'c');
    for (let i = 0; i < 1000; i++) collection.insert({ _id: i, a: i % 50, n: i });
    collection.addIndex({ name: 'a_n', key: { a: 1, n: 1 } });
    collection.addIndex({ name: 'n_1', key: { n: 1 } });
    expect(scan(collection, { a: 7 })).toMatchObject({ indexName: 'a_n', keysExamined: 20 });
    expect(scan(collection, { a: 7, n: { $gte: 500 } })).toMatchObject({ indexName: 'a_n', keysExamined: 10 });
    expect(scan(collection, { n: { $gt: 990 } })).toMatchObject({ indexName: 'n_1', keysExamined: 9 });
    expect(scan(collection, { _id: { $in: [3, 4, 4000] } })).toMatchObject({ indexName: '_id_', keysExamined: 2 });
    expect(scan(collection, { b: 1 })).toMatchObject({ indexName: null });
  });
});
