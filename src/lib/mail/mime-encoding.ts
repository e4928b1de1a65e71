/** Writing what mail software reads: quoted-printable and base64 bodies, RFC 2047 encoded words, folding. */

/** Longest body or header line we write, as RFC 2045 requires of encoded bodies (CRLF excluded). */
const LINE = 76;

/** `=XX` of each byte. */
const HEX: string[] = Array.from({ length: 256 }, (_, b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`);

/** Whether a byte travels as itself in quoted-printable (space and tab only inside a line). */
const isLiteral = (b: number) => (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9;

/** Text with every line break as CRLF, as bodies travel. */
export function crlf(text: string): string {
  return /\r(?!\n)|(?<!\r)\n/.test(text) ? text.replace(/\r\n|\r|\n/g, '\r\n') : text;
}

/** Whether a body can travel as it is (7bit): ASCII without control characters, no line over 76 characters. */
export function isSevenBit(text: string): boolean {
  // One pass over the characters: the equivalent regex tried a 77-character run at every position.
  let column = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) column = 0;
    else if ((c < 32 && c !== 9) || c > 126 || ++column > LINE) return false;
  }
  return true;
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The UTF-8 bytes of the character {@link utf8Bytes} read last. */
const BYTES = new Uint8Array(4);

/** Writes the UTF-8 bytes of one character to {@link BYTES}; how many. */
function utf8Bytes(codePoint: number): number {
  // A lone surrogate is not a character: it is written as U+FFFD.
  const c = codePoint >= 0xd800 && codePoint <= 0xdfff ? 0xfffd : codePoint;
  if (c < 0x80) {
    BYTES[0] = c;
    return 1;
  }
  if (c < 0x800) {
    BYTES[0] = 0xc0 | (c >> 6);
    BYTES[1] = 0x80 | (c & 0x3f);
    return 2;
  }
  if (c < 0x10000) {
    BYTES[0] = 0xe0 | (c >> 12);
    BYTES[1] = 0x80 | ((c >> 6) & 0x3f);
    BYTES[2] = 0x80 | (c & 0x3f);
    return 3;
  }
  BYTES[0] = 0xf0 | (c >> 18);
  BYTES[1] = 0x80 | ((c >> 12) & 0x3f);
  BYTES[2] = 0x80 | ((c >> 6) & 0x3f);
  BYTES[3] = 0x80 | (c & 0x3f);
  return 4;
}

/**
 * Quoted-printable (RFC 2045 6.7) of UTF-8 text: CRLF hard breaks, `=` soft breaks within 76 characters.
 * Read from the string itself, without its UTF-8 bytes: runs of ASCII characters that travel as themselves
 * are copied in one slice (most of an email's HTML is such a run), and any other character is written as
 * the `=XX` of each of its UTF-8 bytes, a lone surrogate as U+FFFD, as `Buffer.from` encodes it.
 */
export function encodeQuotedPrintable(text: string): string {
  const end = text.length;
  let out = '';
  let run = 0; // start of the pending run of literal characters
  let column = 0;
  for (let i = 0; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 13 || c === 10) {
      out += `${text.slice(run, i)}\r\n`;
      if (c === 13 && text.charCodeAt(i + 1) === 10) i += 1;
      run = i + 1;
      column = 0;
      continue;
    }
    if (c < 128 && isLiteral(c)) {
      const next = i + 1 < end ? text.charCodeAt(i + 1) : 10;
      // A space or tab ending a line would be stripped in transit: it is escaped.
      if (!((c === 32 || c === 9) && (next === 13 || next === 10))) {
        // One column is kept for the soft break's `=`.
        if (column + 1 > LINE - 1) {
          out += `${text.slice(run, i)}=\r\n`;
          run = i;
          column = 0;
        }
        column += 1;
        continue;
      }
    }
    out += text.slice(run, i);
    const units = c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
    const count = utf8Bytes(units === 2 ? ((c - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00) + 0x10000 : c);
    // An escape is never split: a soft break comes before it when it would not fit.
    for (let k = 0; k < count; k += 1) {
      if (column + 3 > LINE - 1) {
        out += '=\r\n';
        column = 0;
      }
      out += HEX[BYTES[k]];
      column += 3;
    }
    i += units - 1;
    run = i + 1;
  }
  return out + text.slice(run, end);
}

/** Base64 of UTF-8 text in lines of 76 characters. */
export function encodeBase64Lines(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += LINE) lines.push(encoded.slice(i, i + LINE));
  return lines.join('\r\n');
}

/** Characters an RFC 2047 `Q` word may carry as themselves in a phrase (space becomes `_`). */
const Q_PLAIN = /[A-Za-z0-9!*+\-/]/;

/**
 * A header value as RFC 2047 encoded words when it is not plain printable ASCII, `Q` or `B` as the
 * message's text encoding says, each word within 75 characters and whole characters per word, so
 * every decoder reads back the same text. Line breaks in the value become spaces: a header cannot
 * carry one.
 */
export function encodeHeaderValue(value: string, encoding: 'quoted-printable' | 'base64'): string {
  const flat = value.replace(/\r\n|\r|\n/g, ' ');
  if (!/[^\x20-\x7e]/.test(flat)) return flat;
  return encodeWords(flat, encoding);
}

/** A run of non-spaces that cannot share a line with `Subject: ` within 76 characters. */
const UNFOLDABLE_RUN = new RegExp(`\\S{${LINE - 'Subject: '.length + 1},}`);

/**
 * A free-text header value (Subject) as {@link encodeHeaderValue} writes it, and as encoded words too
 * when plain ASCII would not arrive as written: text shaped like an encoded word (`=?UTF-8?B?...?=`),
 * which mail software would decode into other text, or a run without spaces too long to fold.
 */
export function encodeTextHeader(value: string, encoding: 'quoted-printable' | 'base64'): string {
  const flat = value.replace(/\r\n|\r|\n/g, ' ');
  if (flat.includes('=?') || UNFOLDABLE_RUN.test(flat)) return encodeWords(flat, encoding);
  return encodeHeaderValue(flat, encoding);
}

function encodeWords(flat: string, encoding: 'quoted-printable' | 'base64'): string {
  const b = encoding === 'base64';
  // Words of at most 60 characters (36 bytes are 48 base64 characters), so one fits beside a header's name.
  const budget = b ? 36 : 48;
  const words: string[] = [];
  let chunk = '';
  let size = 0;
  const flush = () => {
    if (chunk === '') return;
    words.push(b ? `=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=` : `=?UTF-8?Q?${qWord(chunk)}?=`);
    chunk = '';
    size = 0;
  };
  for (const char of flat) {
    const cost = b ? Buffer.byteLength(char, 'utf8') : qWord(char).length;
    if (size + cost > budget) flush();
    chunk += char;
    size += cost;
  }
  flush();
  return words.join(' ');
}

function qWord(text: string): string {
  let out = '';
  for (const char of text) {
    if (char === ' ') out += '_';
    else if (Q_PLAIN.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += HEX[byte];
  }
  return out;
}

/** `Name <address>` with the name quoted or encoded as it needs, or the bare address. */
export function encodeAddress(
  address: { address: string; name?: string },
  encoding: 'quoted-printable' | 'base64',
): string {
  const name = address.name?.replace(/\r\n|\r|\n/g, ' ').trim();
  if (!name) return address.address;
  let phrase: string;
  if (/[^\x20-\x7e]/.test(name)) phrase = encodeHeaderValue(name, encoding);
  else if (/[()<>[\]:;@\\,."]/.test(name)) phrase = `"${name.replace(/[\\"]/g, '\\$&')}"`;
  else phrase = name;
  return `${phrase} <${address.address}>`;
}

/** `Name: value` folded at spaces into lines of at most 76 characters where the value allows it. */
export function foldHeader(name: string, value: string): string {
  let rest = `${name}: ${value}`;
  const lines: string[] = [];
  let earliest = name.length + 2; // never at the space after the colon
  while (rest.length > LINE) {
    let cut = rest.lastIndexOf(' ', LINE);
    // No space within the limit (a long URL): the next one, as RFC 5322 allows lines up to 998 characters.
    if (cut < earliest) cut = rest.indexOf(' ', LINE);
    if (cut === -1) break;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    earliest = 1;
  }
  lines.push(rest);
  return lines.join('\r\n');
}
