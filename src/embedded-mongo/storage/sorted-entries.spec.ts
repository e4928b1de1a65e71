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

  it('keeps one key with thousands of ids (across chunk splits) in id order through inserts and removes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4999 }), { minLength: 1500, maxLength: 2500 }), (order) => {
        const entries = new SortedEntries();
        const ids = [...new Set(order)].map((n) => `i${String(n).padStart(4, '0')}`);
        // Each key built afresh, as an index builds it from each document.
        for (const id of ids) entries.insert(['t', 'ick'].join(''), id);
        entries.insert('a', 'i0000');
        entries.insert('z', 'i0000');
        const removed = ids.filter((_, i) => i % 3 === 0);
        for (const id of removed) expect(entries.remove(`ti${'ck'}`, id)).toBe(true);
        const kept = ids.filter((_, i) => i % 3 !== 0).sort();
        expect([...entries.idsWithKey('tick')]).toEqual(kept);
        expect([...entries.range(null, null)].map(([k]) => k)).toEqual(['a', ...kept.map(() => 'tick'), 'z']);
        expect(entries.hasOtherId('tick', kept[0])).toBe(kept.length > 1);
        expect(entries.size).toBe(kept.length + 2);
      }),
      { numRuns: 20 },
    );
  });

  it('reads the same entries in resumable batches, forwards and backwards, while entries change in between', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 1500 }),
        fc.array(opArb, { maxLength: 200 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (initial, between, size, reverse) => {
          const entries = new SortedEntries();
          const present = new Set<string>();
          const run = (op: Op) => {
            const k = `${op.key}|${op.id}`;
            if (op.kind === 'insert' && !present.has(k)) {
              entries.insert(op.key, op.id);
              present.add(k);
            } else if (op.kind === 'remove' && present.delete(k)) {
              entries.remove(op.key, op.id);
            }
          };
          initial.forEach(run);
          const before = new Set(model(initial).map(([k, id]) => `${k}|${id}`));
          const seen: Array<[string, string]> = [];
          let after: [string, string] | null = null;
          const pending = [...between];
          for (;;) {
            const batch = entries.batch(null, null, reverse, after, size);
            seen.push(...batch);
            if (batch.length < size) break;
            after = batch[batch.length - 1];
            // Writes between batches, as when a read pauses for other connections.
            pending.splice(0, 3).forEach(run);
          }
          const order = seen.map(([k, id]) => k + id);
          expect(order).toEqual([...order].sort((a, b) => (reverse ? (a < b ? 1 : -1) : a < b ? -1 : 1)));
          expect(new Set(order).size).toBe(order.length);
          // Whatever was present before and after the read, untouched, was read.
          const untouched = [...before].filter((k) => present.has(k));
          const read = new Set(seen.map(([k, id]) => `${k}|${id}`));
          for (const k of untouched) {
            if (!between.some((op) => `${op.key}|${op.id}` === k)) expect(read.has(k)).toBe(true);
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
