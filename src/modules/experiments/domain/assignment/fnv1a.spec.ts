import fc from 'fast-check';
import { fnv1a32 } from './fnv1a';
import { hash } from './hash';

/** The textbook definition over an explicit UTF-8 byte array, to check the inlined encoder against. */
function fnvOfBytes(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Number((BigInt(h ^ b) * 16777619n) % 4294967296n);
  return h >>> 0;
}

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32 test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes of any string, lone surrogates as U+FFFD', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(fnv1a32(text)).toBe(fnvOfBytes(new TextEncoder().encode(text)));
      }),
      { numRuns: 2000, seed: 12 },
    );
    expect(fnv1a32('a\ud800b')).toBe(fnvOfBytes(new TextEncoder().encode('a\ufffdb')));
  });

  it('buckets non-ASCII ids like the UTF-8 SDKs (Go), not like the UTF-16 JS SDK', () => {
    // Values computed with GrowthBook's v2 formula over UTF-8 bytes (the Go SDK's behaviour).
    expect(hash('exp', 'josé', 2)).toBe(0.5681);
    expect(hash('exp', '😀user', 2)).toBe(0.4164);
  });
});
