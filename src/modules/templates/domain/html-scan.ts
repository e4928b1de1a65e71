/**
 * A small, tolerant reader of the HTML email layouts are written in: text runs and tags, attributes
 * and character references. It scans with indexOf: every email's derived text part goes through it.
 */
// The Latin-1 entities, U+00A0 to U+00FF in order: the accented letters of French, German, Spanish,
// Portuguese or Icelandic (`&eacute;`, `&Agrave;`, `&szlig;`) and the symbols beside them.
const LATIN1 = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 ' +
  'acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml ' +
  'Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde ' +
  'Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ' +
  'ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide ' +
  'oslash ugrave uacute ucirc uuml yacute thorn yuml'
).split(' ');
const NAMED = new Map<string, string>([
  ...LATIN1.map((name, i) => [name, String.fromCharCode(0xa0 + i)] as const),
  ['OElig', 'Œ'], ['oelig', 'œ'], ['Scaron', 'Š'], ['scaron', 'š'], ['Yuml', 'Ÿ'], ['fnof', 'ƒ'], ['circ', 'ˆ'],
  ['tilde', '˜'], ['ensp', '\u2002'], ['emsp', '\u2003'], ['thinsp', '\u2009'], ['sbquo', '‚'], ['bdquo', '„'], ['dagger', '†'],
  ['Dagger', '‡'], ['permil', '‰'], ['lsaquo', '‹'], ['rsaquo', '›'], ['prime', '′'], ['Prime', '″'],
  ['larr', '←'], ['rarr', '→'], ['uarr', '↑'], ['darr', '↓'], ['harr', '↔'], ['hearts', '♥'], ['minus', '−'],
  ['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"], ['nbsp', ' '], ['hellip', '…'],
  ['mdash', '—'], ['ndash', '–'], ['lsquo', '‘'], ['rsquo', '’'], ['ldquo', '“'], ['rdquo', '”'], ['trade', '™'],
  ['bull', '•'], ['euro', '€'], ['zwnj', ''], ['zwj', ''], ['shy', ''],
]); // prettier-ignore

/** The character a reference (`amp`, `#233`, `#xE9`) stands for, or undefined when it is not one. */
function decodeReference(ref: string): string | undefined {
  // Names are case-sensitive (`&Eacute;` is not `&eacute;`); `&AMP;` and the like are read as lower case.
  if (ref.charCodeAt(0) !== 35) return NAMED.get(ref) ?? NAMED.get(ref.toLowerCase());
  const hex = ref[1] === 'x' || ref[1] === 'X';
  const digits = ref.slice(hex ? 2 : 1);
  if (!(hex ? /^[0-9a-f]+$/i : /^\d+$/).test(digits)) return undefined;
  const code = parseInt(digits, hex ? 16 : 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

/** Decodes named and numeric character references; unknown names stay as written. */
export function decodeEntities(text: string): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let out = '';
  let copied = 0;
  while (amp !== -1) {
    const semicolon = text.indexOf(';', amp);
    if (semicolon === -1) break;
    const decoded = semicolon - amp <= 32 ? decodeReference(text.slice(amp + 1, semicolon)) : undefined;
    if (decoded !== undefined) {
      out += text.slice(copied, amp) + decoded;
      copied = semicolon + 1;
    }
    amp = text.indexOf('&', decoded === undefined ? amp + 1 : semicolon + 1);
  }
  return out + text.slice(copied);
}

// One attribute of a tag: its name, then its value double-quoted, single-quoted or bare, if it has one.
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/** The decoded value of attribute `name` (case-insensitive), read attribute by attribute so a quoted value is never read as one. */
export function attribute(attributes: string, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const match of attributes.matchAll(ATTRIBUTE)) {
    if (match[1].toLowerCase() === wanted) {
      const value = match[2] ?? match[3] ?? match[4];
      return value === undefined ? undefined : decodeEntities(value);
    }
  }
  return undefined;
}

/** Elements that have no content and no closing tag. */
export const VOID_ELEMENTS = new Set([
  'br',
  'hr',
  'img',
  'meta',
  'link',
  'input',
  'source',
  'col',
  'area',
  'base',
  'wbr',
]);

export interface HtmlVisitor {
  /** A text run, which starts at `start` in the HTML. */
  text(text: string, start: number): void;
  tag(name: string, closing: boolean, attributes: string): void;
}

/** ASCII letter (`letterOnly`) or letter, digit or `-`: the characters of a tag name. */
function isNameChar(code: number, letterOnly = false): boolean {
  const letter = (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
  return letter || (!letterOnly && ((code >= 48 && code <= 57) || code === 45));
}

const isTagSpace = (code: number) => code === 32 || code === 10 || code === 13 || code === 9 || code === 12;

/**
 * Where the tag whose attributes start at `from` ends: its first `>` outside a quoted attribute value
 * (`alt="Next >"`, `title='a > b'`), or -1 when there is none. A quote opens a value only right after
 * `=` (and spaces); inside an unquoted value (`alt=it's`) or elsewhere it is a character like any other.
 */
function tagEnd(html: string, from: number): number {
  const gt = html.indexOf('>', from);
  const equals = html.indexOf('=', from);
  if (gt === -1 || equals === -1 || equals > gt) return gt;
  let afterEquals = false;
  let unquoted = false;
  for (let i = equals; i < html.length; i++) {
    const code = html.charCodeAt(i);
    if (code === 62) return i;
    if (unquoted) unquoted = !isTagSpace(code);
    else if (code === 61) afterEquals = true;
    else if (afterEquals && (code === 34 || code === 39)) {
      const close = html.indexOf(html[i], i + 1);
      if (close === -1) return -1;
      i = close;
      afterEquals = false;
    } else if (afterEquals && !isTagSpace(code)) {
      afterEquals = false;
      unquoted = true;
    }
  }
  return -1;
}

/**
 * Walks HTML as text runs and tags (names lower-cased), skipping comments, CDATA and doctypes. A tag
 * ends at its first `>` outside a quoted attribute value; a `<` that opens no tag is text. Scans with indexOf, which matters: every email's text part comes from here.
 */
export function scanHtml(html: string, visitor: HtmlVisitor): void {
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      visitor.text(html.slice(i), i);
      return;
    }
    if (lt > i) visitor.text(html.slice(i, lt), i);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    const next = html[lt + 1] ?? '';
    const closing = next === '/';
    const nameStart = closing ? lt + 2 : lt + 1;
    if (next === '!' || next === '?') {
      const gt = html.indexOf('>', lt);
      i = gt === -1 ? html.length : gt + 1;
      continue;
    }
    let nameEnd = nameStart;
    while (nameEnd < html.length && isNameChar(html.charCodeAt(nameEnd))) nameEnd++;
    const gt = nameEnd === nameStart ? -1 : tagEnd(html, nameEnd);
    if (gt === -1 || nameEnd === nameStart || !isNameChar(html.charCodeAt(nameStart), true)) {
      visitor.text('<', lt);
      i = lt + 1;
      continue;
    }
    visitor.tag(html.slice(nameStart, nameEnd).toLowerCase(), closing, html.slice(nameEnd, gt));
    i = gt + 1;
  }
}
