import fc from 'fast-check';
import { SortedEntries } from './sorted-entries';

type Op = { kind: 'insert' | 'remove'; key: string; id: string };

const opArb = fc.record({
  kind: fc.constantFrom<'insert' | 'remove'>('insert', 'insert', 'remove'),
  key: fc.integer({ min: 0, max: 60 }).map((n) => `k${String(n).padStart(2, '0')}`),
  id: fc.integer({ min: 0, max: 40 }).map((n) => `i${String(n).padStart(2, '0')}`),
});

function model(ops: Op[]): Array<[string, string]> {
  const set = new Map<string, [string, string]>();
  for (const op of ops) {
    const k = `${op.key}|${op.id}`;
    if (op.kind === 'insert') set.set(k, [op.key, op.id]);
    else set.delete(k);
  }
  return [...set.values()].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
}

describe(SortedEntries.name, () => {
  it('matches a sorted-array model under random inserts, removes and range reads', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 3000 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        (ops, a, b) => {
          const entries = new SortedEntries();
          const present = new Set<string>();
          for (const op of ops) {
            const k = `${op.key}|${op.id}`;
            if (op.kind === 'insert' && !present.has(k)) {
              entries.insert(op.key, op.id);
              present.add(k);
            } else if (op.kind === 'remove') {
              expect(entries.remove(op.key, op.id)).toBe(present.delete(k));
            }
          }
          const expected = model(ops);
          expect(entries.size).toBe(expected.length);
          expect([...entries.range(null, null)]).toEqual(expected);
          const lo = `k${String(Math.min(a, b)).padStart(2, '0')}`;
          const hi = `k${String(Math.max(a, b)).padStart(2, '0')}`;
          expect([...entries.range({ key: lo, inclusive: false }, { key: hi, inclusive: true })]).toEqual(
            expected.filter(([k]) => k > lo && k <= hi),
          );
          expect([...entries.ids(true)]).toEqual(expected.map(([, id]) => id).reverse());
          expect(entries.hasOtherId(lo, 'i00')).toBe(expected.some(([k, id]) => k === lo && id !== 'i00'));
        },
      ),
      { numRuns: 60 },
    );
  });
});
