import fc from 'fast-check';
import { encodeQuotedPrintable, isSevenBit } from './mime-encoding';
import { decodeQuotedPrintable } from './mime';

/** The rule as RFC 2045 states it for 7bit: ASCII without controls (but tab), no line over 76 characters. */
const sevenBitRule = (text: string) => !/[^\t\n\r\x20-\x7e]|[^\r\n]{77}/.test(text);

/** Checks `agree` on texts made of up to `most` pieces, `runs` of them. */
function agreeOnJoinedPieces(
  piece: fc.Arbitrary<string>,
  most: number,
  runs: number,
  agree: (text: string) => void,
): void {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: most }), (pieces) => agree(pieces.join(''))),
    { numRuns: runs },
  );
}

describe('isSevenBit', () => {
  it('agrees with the 7bit rule on text of any characters and line lengths', () => {
    const piece = fc.oneof(
      fc.constantFrom('\r\n', '\n', '\r', '\t', ' ', 'é', '\u0000', '\u007f', '€'),
      fc.string({ minLength: 70, maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x')),
      fc.string({ maxLength: 10 }),
    );
    agreeOnJoinedPieces(piece, 8, 2000, (text) => expect(isSevenBit(text)).toBe(sevenBitRule(text)));
  });

  it('takes a line of exactly 76 characters and refuses one of 77', () => {
    expect(isSevenBit(`${'a'.repeat(76)}\r\n${'b'.repeat(76)}`)).toBe(true);
    expect(isSevenBit(`${'a'.repeat(76)}\r\n${'b'.repeat(77)}`)).toBe(false);
  });
});

/** Quoted-printable as written byte by byte from the text's UTF-8 (the encoder's rules, stated plainly). */
function quotedPrintableOfBytes(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const hex = (b: number) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  let out = '';
  let column = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i];
    if (b === 13 || b === 10) {
      out += '\r\n';
      if (b === 13 && bytes[i + 1] === 10) i += 1;
      column = 0;
      continue;
    }
    const next = i + 1 < bytes.length ? bytes[i + 1] : 10;
    const literal =
      ((b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9) &&
      !((b === 32 || b === 9) && (next === 13 || next === 10));
    const piece = literal ? String.fromCharCode(b) : hex(b);
    if (column + piece.length > 75) {
      out += '=\r\n';
      column = 0;
    }
    out += piece;
    column += piece.length;
  }
  return out;
}

describe('encodeQuotedPrintable', () => {
  it('writes what the byte-by-byte rules write, for text of any characters, surrogates and line breaks', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '\r\n',
        '\n',
        '\r',
        '\t',
        ' ',
        ' \n',
        '\t\r\n',
        '=',
        'é',
        '€',
        '😀',
        '\ud83d',
        '\ude00',
        '\u0000',
      ),
      fc.string({ minLength: 60, maxLength: 90 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    agreeOnJoinedPieces(piece, 10, 3000, (text) =>
      expect(encodeQuotedPrintable(text)).toBe(quotedPrintableOfBytes(text)),
    );
  });

  it('keeps every line within 76 characters and decodes back to the text', () => {
    const text = `${'a'.repeat(74)}é€😀 end \r\nnext=line\t\n${'x '.repeat(60)}`;
    const encoded = encodeQuotedPrintable(text);
    expect(encoded.split('\r\n').every((line) => line.length <= 76)).toBe(true);
    expect(decodeQuotedPrintable(encoded)).toBe(text.replace(/\r?\n/g, '\r\n'));
  });
});
