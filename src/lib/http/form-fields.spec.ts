import { multipartBoundary, parseMultipart, parseUrlEncoded, RepeatedField } from './form-fields';

const multipart = (boundary: string, parts: string[], newline = '\r\n') =>
  parts.map((p) => `--${boundary}${newline}${p}${newline}`).join('') + `--${boundary}--${newline}`;

describe('form fields', () => {
  it('reads an urlencoded body', () => {
    expect(parseUrlEncoded('List-Unsubscribe=One-Click')).toEqual({ 'List-Unsubscribe': 'One-Click' });
    expect(parseUrlEncoded('scope=all&lang=fr&note=two+words%21')).toEqual({
      scope: 'all',
      lang: 'fr',
      note: 'two words!',
    });
    expect(parseUrlEncoded('')).toEqual({});
  });

  it.each([
    ['scope=all&lang=fr&scope=category', 'scope'],
    ['scope=all&scope=all', 'scope'],
    ['scope=all&lang=&lang=fr', 'lang'],
  ])('names the field %s gives twice, whatever the values', (body, name) => {
    expect(parseUrlEncoded(body)).toEqual(new RepeatedField(name));
    expect(parseUrlEncoded(body)).toBeInstanceOf(RepeatedField);
  });

  it('keeps a field named like a prototype key as plain data', () => {
    const fields = parseUrlEncoded('__proto__=x&constructor=y');
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.keys(fields)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('reads the boundary, quoted or not', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----abc123')).toBe('----abc123');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/form-data')).toBeUndefined();
  });

  it('reads a multipart one-click body with CRLF or bare LF line breaks', () => {
    const part = 'Content-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click';
    expect(parseMultipart(multipart('xyz', [part]), 'xyz')).toEqual({ 'List-Unsubscribe': 'One-Click' });
    const lf = 'Content-Disposition: form-data; name="scope"\n\nall';
    expect(parseMultipart(multipart('b', [lf, 'Content-Disposition: form-data; name=lang\n\nfr'], '\n'), 'b')).toEqual({
      scope: 'all',
      lang: 'fr',
    });
  });

  it('names a field a multipart body gives twice', () => {
    const scope = (value: string) => `Content-Disposition: form-data; name="scope"\r\n\r\n${value}`;
    const fields = parseMultipart(multipart('b', [scope('all'), scope('category')]), 'b');
    expect(fields).toBeInstanceOf(RepeatedField);
    expect(fields).toEqual(new RepeatedField('scope'));
  });

  it('refuses file parts, parts without a name and unterminated bodies', () => {
    const file = 'Content-Disposition: form-data; name="f"; filename="x.txt"\r\n\r\nhello';
    expect(parseMultipart(multipart('b', [file]), 'b')).toBeUndefined();
    expect(parseMultipart(multipart('b', ['Content-Disposition: form-data\r\n\r\nv']), 'b')).toBeUndefined();
    expect(parseMultipart('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n', 'b')).toBeUndefined();
    expect(parseMultipart('garbage', 'b')).toBeUndefined();
  });
});
