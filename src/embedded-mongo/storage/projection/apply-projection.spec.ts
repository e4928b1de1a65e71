import fc from 'fast-check';
import { Query } from 'mingo';
import { Doc } from '../documents';
import { compileProjection } from './apply-projection';

/**
 * Differential tests of find projections. Inclusion and exclusion of plain paths are compared with
 * mingo (an independent implementation that agrees with MongoDB there); $slice, $elemMatch and the
 * positional operator, where mingo does not follow MongoDB, are compared with the result computed
 * directly from their documented definitions.
 */
const small = fc.integer({ min: -3, max: 3 });
const docArb = fc
  .record(
    {
      a: fc.oneof(small, fc.constant('s')),
      b: fc.record({ x: small, y: fc.constantFrom('p', 'q') }, { requiredKeys: [], noNullPrototype: true }),
      c: small,
      arr: fc.array(small, { maxLength: 6 }),
    },
    { requiredKeys: ['arr'], noNullPrototype: true },
  )
  .map((d) => ({ _id: 1, ...d }) as Doc);
const paths = fc
  .subarray(['a', 'b', 'b.x', 'b.y', 'c'], { minLength: 1 })
  .filter((ps) => !(ps.includes('b') && (ps.includes('b.x') || ps.includes('b.y'))));

function project(doc: Doc, spec: Doc, filter: Doc = {}): Doc {
  return compileProjection(spec, filter)!(doc);
}

function sliced(arr: number[], spec: number | [number, number]): number[] {
  if (typeof spec === 'number') return spec >= 0 ? arr.slice(0, spec) : arr.slice(Math.max(0, arr.length + spec));
  const [skip, limit] = spec;
  const start = skip >= 0 ? Math.min(skip, arr.length) : Math.max(0, arr.length + skip);
  return arr.slice(start, start + limit);
}

describe(compileProjection.name, () => {
  it('agrees with mingo on inclusion and exclusion of plain paths, with or without _id', () => {
    fc.assert(
      fc.property(docArb, paths, fc.boolean(), fc.boolean(), (doc, ps, include, withoutId) => {
        const spec: Doc = Object.fromEntries(ps.map((p) => [p, include ? 1 : 0]));
        if (withoutId) spec._id = 0;
        const theirs = new Query({}).find<Doc>([doc], spec).all()[0];
        expect([spec, project(doc, spec)]).toEqual([spec, theirs]);
      }),
      { numRuns: 400 },
    );
  });

  it('slices, alone (all fields kept), beside an exclusion or beside an inclusion', () => {
    const sliceArb = fc.oneof(
      fc.integer({ min: -7, max: 7 }),
      fc.tuple(fc.integer({ min: -7, max: 7 }), fc.integer({ min: 1, max: 7 })),
    );
    fc.assert(
      fc.property(docArb, sliceArb, (doc, s) => {
        const arr = doc.arr as number[];
        expect(project(doc, { arr: { $slice: s } })).toEqual({ ...doc, arr: sliced(arr, s) });
        const { c: _c, ...withoutC } = doc;
        expect(project(doc, { arr: { $slice: s }, c: 0 })).toEqual({ ...withoutC, arr: sliced(arr, s) });
        const kept: Doc = { _id: 1, arr: sliced(arr, s) };
        if (doc.a !== undefined) kept.a = doc.a;
        expect(project(doc, { arr: { $slice: s }, a: 1 })).toEqual(kept);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the first matching element for $elemMatch and for a positional projection', () => {
    fc.assert(
      fc.property(docArb, small, (doc, bound) => {
        const arr = doc.arr as number[];
        const first = arr.find((v) => v >= bound);
        const elemMatched = project(doc, { arr: { $elemMatch: { $gte: bound } } });
        expect(elemMatched).toEqual(first === undefined ? { _id: 1 } : { _id: 1, arr: [first] });
        if (first !== undefined) {
          // The filter matched this document through `arr`, so `arr.$` is that first matching element.
          expect(project(doc, { 'arr.$': 1 }, { arr: { $gte: bound } })).toEqual({ _id: 1, arr: [first] });
        }
      }),
      { numRuns: 300 },
    );
  });
});
