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
