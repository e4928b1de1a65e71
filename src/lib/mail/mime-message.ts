import { randomBytes } from 'node:crypto';
import {
  crlf,
  encodeAddress,
  encodeBase64Lines,
  encodeHeaderValue,
  encodeTextHeader,
  encodeQuotedPrintable,
  foldHeader,
  isSevenBit,
} from './mime-encoding';

/** An email with a text and an HTML body, as the composer writes it. */
export interface MimeEmail {
  from: { address: string; name?: string };
  to: { address: string; name?: string };
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  /** Extra headers, written first and in this order. */
  headers: Record<string, string>;
  /** How non-ASCII text and headers are encoded. */
  textEncoding: 'quoted-printable' | 'base64';
}

// Random per process, counted per message: unique without a random draw per message.
const BOUNDARY_PREFIX = `=_jc_${randomBytes(8).toString('hex')}_`;
let boundaries = 0;

/**
 * The raw RFC 5322 message (CRLF line breaks): extra headers, then From, To, Reply-To, Subject,
 * Message-ID, Date, MIME-Version, and a multipart/alternative of the text then the HTML body, each
 * 7bit when it is short-lined ASCII, else in the message's text encoding. The boundary starts with
 * `=_`, which no quoted-printable or base64 text contains; a 7bit body is checked against it.
 * Written directly into one string: a streaming composer costs several times more per message.
 */
export function composeMimeMessage(email: MimeEmail, date: Date): Buffer {
  const encoding = email.textEncoding;
  const text = bodyPart('text/plain', email.text, encoding);
  const html = bodyPart('text/html', email.html, encoding);
  let boundary = `${BOUNDARY_PREFIX}${(boundaries++).toString(36)}`;
  while (text.includes(boundary) || html.includes(boundary)) boundary += randomBytes(4).toString('hex');
  const headers: string[] = [];
  for (const [name, value] of Object.entries(email.headers)) {
    headers.push(foldHeader(name, encodeHeaderValue(value, encoding)));
  }
  headers.push(
    foldHeader('From', encodeAddress(email.from, encoding)),
    foldHeader('To', encodeAddress(email.to, encoding)),
  );
  if (email.replyTo) headers.push(foldHeader('Reply-To', email.replyTo));
  headers.push(
    foldHeader('Subject', encodeTextHeader(email.subject, encoding)),
    `Message-ID: ${email.messageId}`,
    `Date: ${rfc5322Date(date)}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"`,
  );
  const raw =
    `${headers.join('\r\n')}\r\n\r\n` +
    `--${boundary}\r\n${text}\r\n` +
    `--${boundary}\r\n${html}\r\n` +
    `--${boundary}--\r\n`;
  return Buffer.from(raw, 'utf8');
}

function bodyPart(type: string, content: string, encoding: 'quoted-printable' | 'base64'): string {
  const body = crlf(content);
  const transfer = isSevenBit(body) ? '7bit' : encoding;
  const encoded =
    transfer === '7bit' ? body : transfer === 'base64' ? encodeBase64Lines(body) : encodeQuotedPrintable(body);
  return `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${transfer}\r\n\r\n${encoded}`;
}

/** `Tue, 01 Dec 2026 22:36:00 +0000`. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}
