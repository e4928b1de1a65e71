/** Reading what mail software receives: headers, quoted-printable bodies and encoded-word headers. */

/** Top-level headers of a raw message: unfolded, names lower-cased. */
export function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Decodes quoted-printable text (soft line breaks and =XX escapes) as nodemailer writes HTML parts. */
export function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?UTF-8?Q?...?=`) in a header value. */
export function decodeHeaderWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BQbq])\?([^?]*)\?=/g, (_m, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(decodeQuotedPrintable(text.replace(/_/g, ' ')), 'utf8');
      return /^utf-?8$/i.test(charset) ? bytes.toString('utf8') : bytes.toString('latin1');
    });
}

/** One body part of a message: its content type and its text, transfer encoding undone. */
export interface MimePart {
  contentType: string;
  text: string;
}

/**
 * The body parts of a single-part or multipart message (one level, as notification emails are), each
 * decoded from 7bit, quoted-printable or base64 to text with LF line breaks.
 */
export function readParts(raw: string): MimePart[] {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaders(raw);
  const body = split === -1 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const contentType = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return [{ contentType: contentType.split(';')[0].trim(), text: decodeBody(headers, body) }];
  const delimiter = `--${boundary}`;
  const parts: string[][] = [];
  for (const line of body.split(/\r?\n/)) {
    if (line === `${delimiter}--`) break;
    if (line === delimiter) parts.push([]);
    else parts[parts.length - 1]?.push(line);
  }
  return parts.flatMap((lines) => readParts(lines.join('\r\n')));
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const transfer = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text =
    transfer === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : transfer === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : body;
  return text.replace(/\r\n/g, '\n');
}
