import { decodeHeaderWords, decodeQuotedPrintable, parseHeaders, readParts } from './mime';
import { encodeHeaderValue, encodeQuotedPrintable, foldHeader } from './mime-encoding';
import { composeMimeMessage } from './mime-message';
import { mimeEmail as email } from './testing/mime-email.fixture';

const DATE = new Date('2026-03-01T12:00:00.000Z');

describe('composeMimeMessage', () => {
  it('writes CRLF lines of at most 76 characters wherever the text has a place to break', () => {
    const raw = composeMimeMessage(
      email({
        subject: 'Idées pour ta cuisine — 3 nouvelles, à voir avant dimanche soir, vraiment',
        text: 'Café crème '.repeat(30),
      }),
      DATE,
    );
    const lines = raw.toString('utf8').split('\r\n');
    expect(raw.toString('utf8')).not.toMatch(/[^\r]\n/);
    expect(lines.filter((l) => l.length > 76)).toEqual([]);
  });

  it('keeps a line break in a header value from starting a new header', () => {
    const raw = composeMimeMessage(email({ subject: 'Hello\r\nBcc: victim@example.com' }), DATE).toString('utf8');
    expect(parseHeaders(raw).has('bcc')).toBe(false);
  });

  it.each([
    ['text that reads as encoded words', 'Your week =?UTF-8?B?dmlzaXQgZXZpbC5zaG9w?= ideas'],
    ['a run too long to fold', `Ideas ${'x'.repeat(1200)}`],
  ])('sends a subject with %s so that mail software reads it as written', (_what, subject) => {
    for (const textEncoding of ['quoted-printable', 'base64'] as const) {
      const raw = composeMimeMessage(email({ subject, textEncoding }), DATE).toString('utf8');
      expect(raw.split('\r\n').filter((line) => line.length > 76)).toEqual([]);
      expect(decodeHeaderWords(parseHeaders(raw).get('subject')!)).toBe(subject);
    }
  });

  it('never repeats a boundary and never uses one that is in a body', () => {
    const boundaryOf = (raw: Buffer) => /boundary="([^"]+)"/.exec(raw.toString('utf8'))![1];
    const first = boundaryOf(composeMimeMessage(email(), DATE));
    const [, prefix, counter] = /^(.*_)([0-9a-z]+)$/.exec(first)!;
    const next = `${prefix}${(parseInt(counter, 36) + 1).toString(36)}`;
    const second = composeMimeMessage(email({ text: `--${next}` }), DATE);
    expect(boundaryOf(second)).not.toBe(next);
    expect(boundaryOf(second)).not.toBe(first);
    expect(readParts(second.toString('utf8')).map((p) => p.text)).toEqual([`--${next}`, email().html]);
  });
});

describe('mime encodings', () => {
  it('quoted-printable escapes what would not survive transit and decodes back to the text', () => {
    const text = 'a=b \ttab\t\r\nfin de ligne \r\ncafé 🏠 ' + 'x'.repeat(200);
    const encoded = encodeQuotedPrintable(text);
    expect(encoded.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(encoded).toContain('a=3Db');
    expect(encoded).toContain('ligne=20\r\n');
    expect(decodeQuotedPrintable(encoded)).toBe(text);
  });

  it('encodes header words with whole characters, each within 75 characters', () => {
    const value = `${'é🏠'.repeat(40)} fin`;
    for (const encoding of ['quoted-printable', 'base64'] as const) {
      const encoded = encodeHeaderValue(value, encoding);
      expect(encoded.split(' ').every((w) => w.length <= 75)).toBe(true);
      expect(decodeHeaderWords(encoded)).toBe(value);
    }
    expect(encodeHeaderValue('plain text', 'base64')).toBe('plain text');
  });

  it('folds long headers at spaces and leaves a header without one whole', () => {
    expect(foldHeader('X-Long', `${'word '.repeat(30)}end`).split('\r\n').length).toBeGreaterThan(1);
    const url = `<https://t.example.com/${'a'.repeat(100)}>`;
    expect(foldHeader('List-Unsubscribe', url)).toBe(`List-Unsubscribe: ${url}`);
  });
});
