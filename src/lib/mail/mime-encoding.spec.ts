import fc from 'fast-check';
import { isSevenBit } from './mime-encoding';

/** The rule as RFC 2045 states it for 7bit: ASCII without controls (but tab), no line over 76 characters. */
const sevenBitRule = (text: string) => !/[^\t\n\r\x20-\x7e]|[^\r\n]{77}/.test(text);

describe('isSevenBit', () => {
  it('agrees with the 7bit rule on text of any characters and line lengths', () => {
    const piece = fc.oneof(
      fc.constantFrom('\r\n', '\n', '\r', '\t', ' ', 'é', '\u0000', '\u007f', '€'),
      fc.string({ minLength: 70, maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x')),
      fc.string({ maxLength: 10 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = pieces.join('');
        expect(isSevenBit(text)).toBe(sevenBitRule(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes a line of exactly 76 characters and refuses one of 77', () => {
    expect(isSevenBit(`${'a'.repeat(76)}\r\n${'b'.repeat(76)}`)).toBe(true);
    expect(isSevenBit(`${'a'.repeat(76)}\r\n${'b'.repeat(77)}`)).toBe(false);
  });
});
