import { ObjectId } from 'bson';
import fc from 'fast-check';
import { Query } from 'mingo';
import { Doc } from './documents';
import { compileFilter } from './filter/compile-filter';
import { compileSimpleFilter } from './simple-filter';

const ids = ['000000000000000000000001', '000000000000000000000002', '000000000000000000000003'].map(
  (h) => new ObjectId(h),
);
const rangeable = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(1.5, -0.5, 0),
  fc.constantFrom('a', 'b', 'ab', ''),
  fc.constantFrom(new Date(0), new Date(1000)),
  fc.constantFrom(...ids),
);
const scalar = fc.oneof(rangeable, fc.boolean());
const leaf = fc.oneof(scalar, fc.constant(null), fc.array(scalar, { maxLength: 3 }));
const doc: fc.Arbitrary<Doc> = fc.record(
  {
    a: leaf,
    b: fc.oneof(
      leaf,
      fc.record({ c: leaf }, { requiredKeys: [], noNullPrototype: true }),
      fc.array(fc.record({ c: fc.oneof(scalar, fc.constant(null)) }, { requiredKeys: [], noNullPrototype: true }), {
        maxLength: 3,
      }),
    ),
  },
  { requiredKeys: [], noNullPrototype: true },
);
const condition = fc.oneof(
  scalar,
  fc.record({ $eq: scalar }, { requiredKeys: ['$eq'], noNullPrototype: true }),
  fc.record({ $in: fc.array(scalar, { maxLength: 3 }) }, { requiredKeys: ['$in'], noNullPrototype: true }),
  fc
    .record(
      { $gt: rangeable, $gte: rangeable, $lt: rangeable, $lte: rangeable },
      { requiredKeys: [], noNullPrototype: true },
    )
    .filter((c) => Object.keys(c).length > 0),
);
const filter = fc.record({ a: condition, 'b.c': condition, b: condition }, { requiredKeys: [], noNullPrototype: true });

describe('compileSimpleFilter', () => {
  it('agrees with mingo and with the full matcher on equality, $in and range filters', () => {
    fc.assert(
      fc.property(filter, fc.array(doc, { minLength: 1, maxLength: 8 }), (f, docs) => {
        const fast = compileSimpleFilter(f)!;
        expect(fast).not.toBeNull();
        const reference = new Query(f, {});
        const full = compileFilter(f);
        for (const d of docs) expect([f, d, fast(d), full(d)]).toEqual([f, d, reference.test(d), reference.test(d)]);
      }),
      { numRuns: 400 },
    );
  });

  it('follows MongoDB through arrays nested under arrays of sub-documents, where mingo stops', () => {
    const nested = { b: [{ c: [1.5, 4] }, { c: 2 }] };
    expect(compileSimpleFilter({ 'b.c': 4 })!(nested)).toBe(true);
    expect(compileSimpleFilter({ 'b.c': { $gt: 3 } })!(nested)).toBe(true);
    expect(compileSimpleFilter({ 'b.c': { $in: [7, 2] } })!(nested)).toBe(true);
    expect(compileFilter({ 'b.c': 4 })(nested)).toBe(true);
    expect(compileFilter({ 'b.c': { $gt: 3 } })(nested)).toBe(true);
  });

  it('declines filters it does not model exactly', () => {
    for (const f of [
      { a: null },
      { a: /x/ },
      { a: { $ne: 1 } },
      { $or: [{ a: 1 }] },
      { a: { b: 1 } },
      { a: [1] },
      { a: { $in: [null] } },
    ]) {
      expect(compileSimpleFilter(f)).toBeNull();
    }
  });
});
