import fc from 'fast-check';
import { update as mingoUpdate } from 'mingo';
import { Doc, cloneValue } from '../documents';
import { applyUpdate } from './apply-update';

/**
 * Differential tests of the update engine. Plain operators on plain paths are compared with mingo,
 * an independent implementation that agrees with MongoDB there; positional operators (where mingo
 * does not) are compared with the same update spelled out with explicit array indices.
 */
const small = fc.integer({ min: -3, max: 3 });
const scalar = fc.oneof(small, fc.constantFrom('s', 't'), fc.boolean());
const element = fc.record({ k: fc.integer({ min: 0, max: 2 }), v: small }, { noNullPrototype: true });
// Arrays without repeated values: MongoDB's $addToSet leaves existing repeats alone, mingo removes them.
const docArb = fc.record(
  {
    a: fc.oneof(small, fc.uniqueArray(small, { maxLength: 4 })),
    b: fc.oneof(scalar, fc.constant(null)),
    c: fc.record({ x: small, y: fc.uniqueArray(small, { maxLength: 3 }) }, { requiredKeys: [], noNullPrototype: true }),
    arr: fc.array(element, { maxLength: 5 }),
  },
  { requiredKeys: ['arr'], noNullPrototype: true },
);

const value = (doc: Doc, path: string): unknown =>
  path.split('.').reduce<unknown>((v, p) => (v && typeof v === 'object' ? (v as Doc)[p] : undefined), doc);

/** Operators valid for the current value at a path (their errors are tested elsewhere). */
function plainOperation(doc: Doc, path: string): fc.Arbitrary<Doc> {
  const current = value(doc, path);
  const options: Array<fc.Arbitrary<Doc>> = [
    scalar.map((v) => ({ $set: { [path]: v } })),
    fc.constant({ $unset: { [path]: '' } }),
  ];
  if (current === undefined || typeof current === 'number') {
    options.push(small.map((n) => ({ $inc: { [path]: n } })));
    options.push(small.map((n) => ({ $mul: { [path]: n } })));
    options.push(small.map((n) => ({ $min: { [path]: n } })));
    options.push(small.map((n) => ({ $max: { [path]: n } })));
  }
  if (current === undefined || Array.isArray(current)) {
    options.push(small.map((n) => ({ $push: { [path]: n } })));
    // Distinct values: MongoDB also skips a value repeated inside $each, mingo adds it twice.
    options.push(fc.uniqueArray(small, { maxLength: 3 }).map((each) => ({ $addToSet: { [path]: { $each: each } } })));
  }
  if (Array.isArray(current)) {
    options.push(fc.constantFrom(1, -1).map((n) => ({ $pop: { [path]: n } })));
    options.push(small.map((n) => ({ $pull: { [path]: n } })));
    options.push(fc.array(small, { maxLength: 2 }).map((all) => ({ $pullAll: { [path]: all } })));
  }
  return fc.oneof(...options);
}

/** Merges single-operator updates into one update with distinct, non-conflicting paths. */
function merge(parts: Doc[]): Doc {
  const out: Record<string, Doc> = {};
  for (const part of parts) {
    const [op, fields] = Object.entries(part)[0] as [string, Doc];
    out[op] = { ...out[op], ...fields };
  }
  return out;
}

const PATHS = ['a', 'b', 'c.x', 'c.y', 'n', 'c.z'];

describe(applyUpdate.name, () => {
  it('agrees with mingo on plain operators over plain paths', () => {
    const caseArb = docArb.chain((doc) =>
      fc
        .subarray(
          PATHS.filter((p) => p !== 'c.z' || doc.c !== undefined),
          { minLength: 1, maxLength: 3 },
        )
        .chain((paths) => fc.tuple(...paths.map((p) => plainOperation({ _id: 1, ...doc }, p))))
        .map((parts) => ({ doc: { _id: 1, ...doc } as Doc, update: merge(parts) })),
    );
    fc.assert(
      fc.property(caseArb, ({ doc, update }) => {
        const ours = applyUpdate(doc, update);
        const theirs = cloneValue(doc);
        mingoUpdate(theirs, update, undefined, undefined, { cloneMode: 'deep' });
        // Integer arithmetic has no negative zero in MongoDB (-1 * 0 is 0); mingo computes with doubles.
        const noNegativeZero = (d: Doc) => JSON.parse(JSON.stringify(d)) as Doc;
        expect([update, ours.doc]).toEqual([update, noNegativeZero(theirs)]);
        expect(ours.modified).toBe(JSON.stringify(ours.doc) !== JSON.stringify(doc));
      }),
      { numRuns: 500 },
    );
  });

  it('applies $[] , $[id] and $ exactly as the same update with explicit indices', () => {
    fc.assert(
      fc.property(docArb, small, small, fc.integer({ min: 0, max: 2 }), (raw, x, y, k) => {
        const doc = { _id: 1, ...raw } as Doc;
        const arr = doc.arr as Doc[];
        const explicit = (indices: number[], op = '$set') =>
          applyUpdate(doc, {
            [op]: Object.fromEntries(
              indices.flatMap((i) => [
                [`arr.${i}.v`, x],
                [`arr.${i}.w`, y],
              ]),
            ),
          }).doc;
        const all = arr.map((_, i) => i);
        const matching = all.filter((i) => arr[i].k === k);
        if (arr.length > 0) {
          expect(applyUpdate(doc, { $set: { 'arr.$[].v': x, 'arr.$[].w': y } }).doc).toEqual(explicit(all));
        }
        const filtered = applyUpdate(
          doc,
          { $set: { 'arr.$[e].v': x, 'arr.$[e].w': y } },
          { arrayFilters: [{ 'e.k': k }] },
        ).doc;
        expect(filtered).toEqual(matching.length > 0 ? explicit(matching) : doc);
        if (matching.length > 0) {
          const positional = applyUpdate(doc, { $set: { 'arr.$.v': x, 'arr.$.w': y } }, { query: { 'arr.k': k } });
          expect(positional.doc).toEqual(explicit([matching[0]]));
        }
        const pulled = applyUpdate(doc, { $pull: { arr: { $or: [{ k }, { v: x }] } } }).doc;
        expect(pulled.arr).toEqual(arr.filter((e) => !(e.k === k || e.v === x)));
      }),
      { numRuns: 300 },
    );
  });

  it('lets _id be set to its current value and nothing else', () => {
    expect(applyUpdate({ _id: 1, a: 1 }, { $set: { _id: 1, a: 2 } }).doc).toEqual({ _id: 1, a: 2 });
    expect(() => applyUpdate({ _id: 1, a: 1 }, { $set: { _id: 2 } })).toThrow(/immutable field '_id'/);
    expect(() => applyUpdate({ _id: 1 }, { $set: { '_id.x': 1 } })).toThrow();
  });

  it('parses an update shape once and applies each statement its own values, conflicts refused every time', () => {
    const doc = { _id: 1, n: 1, old: 'x', list: [{ v: 1 }, { v: 2 }] };
    for (const value of [2, 3]) {
      const u = { $set: { n: value, 'list.1.v': value * 10 }, $rename: { old: 'renamed' }, $push: { more: value } };
      expect(applyUpdate(doc, u).doc).toEqual({
        _id: 1,
        n: value,
        renamed: 'x',
        list: [{ v: 1 }, { v: value * 10 }],
        more: [value],
      });
    }
    for (let i = 0; i < 2; i++) {
      expect(() => applyUpdate(doc, { $set: { n: i, 'n.deep': i } })).toThrow(/conflict/);
      expect(applyUpdate(doc, { $set: { 'list.$[].v': i } }).doc.list).toEqual([{ v: i }, { v: i }]);
    }
    expect(doc).toEqual({ _id: 1, n: 1, old: 'x', list: [{ v: 1 }, { v: 2 }] });
  });
});
