import { Binary, Long, MaxKey, MinKey, ObjectId } from 'bson';
import fc from 'fast-check';
import { encodeValue } from './key-encoding';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('encodeValue', () => {
  it('orders numbers numerically, including negatives, zeros and infinities', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        expect(cmp(encodeValue(a), encodeValue(b))).toBe(sign(a - b || 0));
      }),
    );
    expect(encodeValue(0)).toBe(encodeValue(-0));
    expect(encodeValue(Long.fromNumber(42))).toBe(encodeValue(42));
  });

  it('orders strings by code unit and dates by time', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(cmp(encodeValue(a), encodeValue(b))).toBe(cmp(a, b));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.integer({ min: -1e13, max: 1e13 }), (a, b) => {
        expect(cmp(encodeValue(new Date(a)), encodeValue(new Date(b)))).toBe(sign(a - b));
      }),
    );
  });

  it('follows MongoDB cross-type order', () => {
    const ordered = [
      new MinKey(),
      null,
      -5,
      3.5,
      '',
      'z',
      { a: 1 },
      [1],
      new Binary(Buffer.from('x')),
      new ObjectId('000000000000000000000001'),
      false,
      true,
      new Date(0),
      /re/,
      new MaxKey(),
    ];
    const encoded = ordered.map((v) => encodeValue(v));
    expect([...encoded].sort()).toEqual(encoded);
    expect(encodeValue(undefined)).toBe(encodeValue(null));
  });

  it('keeps concatenated keys in lexicographic tuple order (encodings are prefix-free)', () => {
    const value = fc.oneof(fc.double({ noNaN: true }), fc.string(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(value, value, value, value, (a1, b1, a2, b2) => {
        const first = cmp(encodeValue(a1), encodeValue(a2));
        const expected = first !== 0 ? first : cmp(encodeValue(b1), encodeValue(b2));
        expect(cmp(encodeValue(a1) + encodeValue(b1), encodeValue(a2) + encodeValue(b2))).toBe(expected);
      }),
    );
  });
});
