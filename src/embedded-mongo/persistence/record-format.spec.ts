import { decodeRecords, encodeRecord } from './record-format';

describe('journal record format', () => {
  const records = [
    { op: 'put', n: 1 },
    { op: 'put', n: 2, s: 'x'.repeat(100) },
    { op: 'delete', id: 3 },
  ];
  const encoded = records.map(encodeRecord);
  const stream = Buffer.concat(encoded);

  it('decodes every intact record of a stream', () => {
    expect(decodeRecords(stream)).toEqual({ records, validBytes: stream.length });
  });

  it('stops before a record cut at any byte, never replaying a partial one', () => {
    const boundaries = encoded.reduce<number[]>((acc, b) => [...acc, acc[acc.length - 1] + b.length], [0]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const whole = boundaries.filter((b) => b <= cut);
      const { records: decoded, validBytes } = decodeRecords(stream.subarray(0, cut));
      expect(validBytes).toBe(whole[whole.length - 1]);
      expect(decoded).toEqual(records.slice(0, whole.length - 1));
    }
  });

  it('stops at a corrupted byte inside a record', () => {
    const damaged = Buffer.from(stream);
    damaged[encoded[0].length + 20] ^= 0xff;
    expect(decodeRecords(damaged)).toEqual({ records: records.slice(0, 1), validBytes: encoded[0].length });
  });
});
