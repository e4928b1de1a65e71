/**
 * The plain-text part of an email derived from its HTML: paragraphs and line breaks kept, lists as
 * `- item` / `1. item`, links as `text (url)`, entities decoded; head, style, script and hidden
 * elements (the preheader) dropped. Tolerant of the loose HTML email layouts are written in.
 */
const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|([^<]+)|</g;
const SKIPPED = new Set(['head', 'style', 'script', 'title', 'template', 'noscript', 'svg']);
const VOID = new Set(['br', 'hr', 'img', 'meta', 'link', 'input', 'source', 'col', 'area', 'base', 'wbr']);
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'blockquote', 'pre', 'hr']);
const LINE = new Set([
  'div',
  'tr',
  'li',
  'section',
  'article',
  'header',
  'footer',
  'center',
  'dl',
  'dt',
  'dd',
  'td',
  'th',
]);
const HIDDEN = /display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all/i;

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', copy: '©', reg: '®',
  trade: '™', middot: '·', bull: '•', euro: '€', pound: '£', times: '×', zwnj: '', zwj: '', shy: '',
}; // prettier-ignore

/** Decodes named and numeric character references; unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attributes);
  return match ? decodeEntities(match[1] ?? match[2] ?? match[3]) : undefined;
}

// Zero-width spaces and joiners, the combining grapheme joiner and the BOM, matched one by one.
const INVISIBLE = /\u200b|\u200c|\u200d|\u034f|\ufeff/g;

/** Accumulates text with collapsed spaces and pending line or paragraph breaks. */
class TextBuilder {
  private out = '';
  private pendingBreak = 0;

  text(raw: string): void {
    // Zero-width characters and combining joiners pad preheaders; they are invisible noise in text.
    const text = decodeEntities(raw).replace(INVISIBLE, '').replace(/\s+/g, ' ');
    if (!text.trim()) {
      if (text && !this.out.endsWith(' ') && !this.out.endsWith('\n')) this.out += ' ';
      return;
    }
    if (this.pendingBreak > 0 && this.out) this.out = this.out.trimEnd() + '\n'.repeat(this.pendingBreak);
    this.pendingBreak = 0;
    const atLineStart = this.out === '' || this.out.endsWith('\n');
    this.out += atLineStart ? text.trimStart() : this.out.endsWith(' ') ? text.replace(/^ /, '') : text;
  }

  block(lines: number): void {
    this.pendingBreak = Math.max(this.pendingBreak, lines);
  }

  get length(): number {
    return this.out.length;
  }

  since(offset: number): string {
    return this.out.slice(offset);
  }

  result(): string {
    return this.out
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
}

/** Converts an email's HTML to its readable plain-text alternative. */
export function htmlToText(html: string): string {
  const out = new TextBuilder();
  const skipping: string[] = [];
  const lists: Array<{ ordered: boolean; n: number }> = [];
  const links: Array<{ href?: string; start: number }> = [];
  for (const match of html.matchAll(TOKEN)) {
    const [, closing, rawTag, attributes = '', text] = match;
    if (text !== undefined || (rawTag === undefined && match[0] === '<')) {
      if (skipping.length === 0) out.text(text ?? '<');
      continue;
    }
    if (rawTag === undefined) continue; // comments, CDATA, doctype
    const tag = rawTag.toLowerCase();
    if (skipping.length > 0) {
      if (!closing && tag === skipping[skipping.length - 1] && !VOID.has(tag)) skipping.push(tag);
      else if (closing && tag === skipping[skipping.length - 1]) skipping.pop();
      continue;
    }
    if (!closing && !VOID.has(tag) && !attributes.endsWith('/') && (SKIPPED.has(tag) || HIDDEN.test(attributes))) {
      skipping.push(tag);
      continue;
    }
    if (tag === 'br') out.block(1);
    else if (tag === 'ul' || tag === 'ol') {
      if (closing) lists.pop();
      else lists.push({ ordered: tag === 'ol', n: 0 });
    } else if (tag === 'li' && !closing) {
      const list = lists[lists.length - 1];
      out.block(1);
      const indent = '  '.repeat(Math.max(0, lists.length - 1));
      out.text(`${indent}${list?.ordered ? `${++list.n}.` : '-'} `);
    } else if (tag === 'a') {
      if (!closing) links.push({ href: attribute(attributes, 'href'), start: out.length });
      else closeLink(out, links.pop());
    }
    if (tag === 'hr' && !closing) {
      out.block(2);
      out.text('---');
    }
    if (PARAGRAPH.has(tag)) out.block(2);
    else if (LINE.has(tag) && !(tag === 'li' && !closing)) out.block(1);
  }
  return out.result();
}

/** Appends ` (url)` after a link's text, unless the text already is the URL or the link goes nowhere. */
function closeLink(out: TextBuilder, link: { href?: string; start: number } | undefined): void {
  const href = link?.href?.trim();
  if (!link || !href || href.startsWith('#')) return;
  const label = out.since(link.start).trim();
  const shown = href.replace(/^mailto:/i, '');
  if (label === href || label === shown) return;
  out.text(label ? ` (${href})` : href);
}
