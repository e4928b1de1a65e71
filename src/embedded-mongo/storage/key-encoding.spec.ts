import { Binary, Long, MaxKey, MinKey, ObjectId } from 'bson';
import fc from 'fast-check';
import { compareBson } from './compare';
import { encodeValue } from './key-encoding';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('encodeValue', () => {
  it('encodes an ObjectId as the lowercase hex of its bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 12 }), (bytes) => {
        const id = new ObjectId(bytes);
        expect(encodeValue(id)).toBe(`7${Buffer.from(bytes).toString('hex')}`);
        expect(encodeValue(new ObjectId(id.toHexString().toUpperCase()))).toBe(encodeValue(id));
      }),
    );
  });

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

  it('keeps 64-bit integers beyond 2^53 distinct and exactly ordered against each other and doubles', () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    const near = fc.bigInt({ min: 2n ** 53n - 5n, max: 2n ** 53n + 5000n });
    fc.assert(
      fc.property(fc.oneof(int64, near), fc.oneof(int64, near), (a, b) => {
        expect(cmp(encodeValue(a), encodeValue(b))).toBe(a < b ? -1 : a > b ? 1 : 0);
        const d = Number(b);
        expect(cmp(encodeValue(a), encodeValue(d))).toBe(a < d ? -1 : a > d ? 1 : 0);
      }),
    );
    expect(encodeValue(5n)).toBe(encodeValue(5));
    expect(encodeValue(2n ** 60n + 1n)).not.toBe(encodeValue(2n ** 60n));
  });

  it('orders binary data by length, then subtype, then bytes', () => {
    const ordered = [
      new Binary(Buffer.from([9]), 0),
      new Binary(Buffer.from([1]), 4),
      new Binary(Buffer.from([0, 0]), 0),
      new Binary(Buffer.from([0, 1]), 0),
      new Binary(Buffer.from([0, 0]), 5),
    ];
    const encoded = ordered.map((v) => encodeValue(v));
    expect([...encoded].sort()).toEqual(encoded);
    expect(new Set(encoded).size).toBe(ordered.length);
  });

  it('agrees with compareBson, the order the matcher and sorts use', () => {
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        fc.double(),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.string({ maxLength: 3 }),
        fc.boolean(),
        fc.constant(null),
        fc.integer({ min: -1e12, max: 1e12 }).map((t) => new Date(t)),
        fc.uint8Array({ maxLength: 3 }).map((b) => new Binary(Buffer.from(b), b.length % 2 ? 0 : 4)),
        fc.array(tie('any'), { maxLength: 2 }),
        fc.dictionary(fc.constantFrom('a', 'b'), tie('any'), { maxKeys: 2, noNullPrototype: true }),
      ),
    })).any;
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(sign(compareBson(a, b))).toBe(cmp(encodeValue(a), encodeValue(b)));
      }),
      { numRuns: 1000 },
    );
  });
});
