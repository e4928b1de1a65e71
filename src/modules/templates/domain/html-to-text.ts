import { attribute, decodeEntities, scanHtml, VOID_ELEMENTS as VOID } from './html-scan';

/**
 * The plain-text part of an email derived from its HTML: paragraphs and line breaks kept, lists as
 * `- item` / `1. item` (numbered from the list's `start`), links as `text (url)`, images as their alt
 * text, `<pre>` with its spaces, entities decoded, zero-width padding dropped; head, style, script and hidden elements (the preheader) dropped. Tolerant
 * of the loose HTML email layouts are written in.
 */
const SKIPPED = new Set(['head', 'style', 'script', 'title', 'template', 'noscript', 'svg']);
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

// Zero-width spaces, the combining grapheme joiner and the BOM pad preheaders: invisible noise in text.
const PADDING = /(?:\u200b|\u034f|\ufeff)+/g;
// A zero-width joiner or non-joiner is noise too, unless it joins two characters, as inside an emoji
// (👨‍👩‍👧) or a Persian or Indic word, where it changes what is shown.
const JOINED = '[\\p{L}\\p{M}\\p{N}\\p{Extended_Pictographic}\\p{Emoji_Modifier}]';
const LONE_JOINER = new RegExp(`(?<!${JOINED})[\\u200c\\u200d]|[\\u200c\\u200d](?!${JOINED})`, 'gu');
const dropInvisible = (text: string) => text.replace(PADDING, '').replace(LONE_JOINER, '');
const SPACES = /\s+/g;

/** An `<ol start>` or `<li value>`: a whole number, or undefined when it is none. */
function ordinal(value: string | undefined): number | undefined {
  return value !== undefined && /^\s*-?\d{1,9}\s*$/.test(value) ? Number(value) : undefined;
}

/** Whether `text` is only whitespace (most text between the tags of a layout is a line break). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && !(c === 12 || c === 0xa0 || /\s/.test(text[i]))) return false;
  }
  return true;
}

/**
 * Accumulates text with collapsed spaces and pending line or paragraph breaks. Output is kept as a
 * list of chunks with the state of its end tracked, so no step rereads what was written (linear time).
 */
class TextBuilder {
  private readonly chunks: string[] = [];
  private pendingBreak = 0;
  /** The output so far ends with a space, or is at the start of a line (nothing written, or a break). */
  private endsWithSpace = false;
  private atLineStart = true;
  /** Nothing written since a list marker: the item's first block starts on the marker's line. */
  private afterMarker = false;
  /** Hanging indent of the lines that continue a list item (`<br>` inside `<li>`). */
  indent = '';

  /** Inside `<pre>`: text keeps its spaces and line breaks. */
  preformatted = 0;

  /** Writes a text run of the HTML; `decoded` when its entities are already decoded (an attribute's value). */
  text(raw: string, decoded = false): void {
    if (this.preformatted > 0) return this.preformattedText(decoded ? raw : decodeEntities(raw));
    if (isBlank(raw)) {
      if (!this.endsWithSpace && !this.atLineStart) this.push(' ');
      return;
    }
    const shown = dropInvisible(!decoded && raw.includes('&') ? decodeEntities(raw) : raw);
    const text = shown.replace(SPACES, ' ');
    if (isBlank(text)) {
      if (text && !this.endsWithSpace && !this.atLineStart) this.push(' ');
      return;
    }
    this.flushBreak(true);
    this.push((this.atLineStart || this.endsWithSpace) && text.charCodeAt(0) === 32 ? text.slice(1) : text);
  }

  /** Preformatted text as written: its lines continue at the indent of the list item it is in. */
  private preformattedText(decoded: string): void {
    const text = dropInvisible(decoded).replace(/\r\n?/g, '\n');
    if (!text) return;
    this.flushBreak(true);
    this.push(text.replace(/\n/g, `\n${this.indent}`));
    this.endsWithSpace = false;
    this.atLineStart = text.endsWith('\n');
  }

  /** Starts a list item: its marker is written as is, indentation included. */
  marker(text: string): void {
    this.flushBreak(false);
    this.push(text);
    this.atLineStart = true;
    this.afterMarker = true;
  }

  block(lines: number): void {
    this.pendingBreak = Math.max(this.pendingBreak, lines);
  }

  /** Holds the pending break to at most `lines` (the next item of a list follows on the next line). */
  limitBreak(lines: number): void {
    this.pendingBreak = Math.min(this.pendingBreak, lines);
  }

  /** A position to read the output from later, with `since`. */
  get length(): number {
    return this.chunks.length;
  }

  since(position: number): string {
    return this.chunks.slice(position).join('');
  }

  result(): string {
    return this.chunks
      .join('')
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }

  private push(text: string): void {
    if (!text) return;
    this.chunks.push(text);
    this.endsWithSpace = text.endsWith(' ');
    this.atLineStart = false;
    this.afterMarker = false;
  }

  private flushBreak(indent: boolean): void {
    // A paragraph or div opening an item (`<li><p>`) goes on the marker's line, not below it.
    if (indent && this.afterMarker) this.pendingBreak = 0;
    if (this.pendingBreak > 0 && this.chunks.length > 0) {
      const last = this.chunks.length - 1;
      if (this.endsWithSpace) this.chunks[last] = this.chunks[last].trimEnd();
      this.chunks.push('\n'.repeat(this.pendingBreak) + (indent ? this.indent : ''));
      this.endsWithSpace = false;
      this.atLineStart = true;
    }
    this.pendingBreak = 0;
  }
}

/** Converts an email's HTML to its readable plain-text alternative. */
export function htmlToText(html: string): string {
  const out = new TextBuilder();
  const skipping: string[] = [];
  // `items` counts the items so far; `number` is the next item's number.
  const lists: Array<{ ordered: boolean; items: number; number: number }> = [];
  const links: Array<{ href?: string; start: number }> = [];
  let leadingBreak = false;
  scanHtml(html, {
    text: (text) => {
      if (skipping.length === 0) out.text(leadingBreak ? text.replace(/^\r?\n/, '') : text);
      leadingBreak = false;
    },
    tag: (tag, closing, attributes) => {
      if (skipping.length > 0) {
        if (!closing && tag === skipping[skipping.length - 1] && !VOID.has(tag)) skipping.push(tag);
        else if (closing && tag === skipping[skipping.length - 1]) skipping.pop();
        return;
      }
      const hidden = SKIPPED.has(tag) || (attributes.length > 0 && HIDDEN.test(attributes));
      if (!closing && hidden && !VOID.has(tag) && !attributes.endsWith('/')) {
        skipping.push(tag);
        return;
      }
      if (tag === 'pre') {
        out.preformatted = Math.max(0, out.preformatted + (closing ? -1 : 1));
        // A line break right after <pre> is not part of its text.
        leadingBreak = !closing;
      }
      if (tag === 'br') out.block(1);
      else if (tag === 'img') {
        // An image shows its alt text where it cannot be seen: an image-only link reads as it.
        const alt = hidden ? undefined : attribute(attributes, 'alt')?.trim();
        if (alt) out.text(alt, true);
      } else if (tag === 'ul' || tag === 'ol') {
        if (closing) lists.pop();
        else lists.push({ ordered: tag === 'ol', items: 0, number: ordinal(attribute(attributes, 'start')) ?? 1 });
        out.indent = '';
        // A nested list continues its item's lines; only the outermost list is a paragraph.
        out.block(lists.length === (closing ? 0 : 1) ? 2 : 1);
        return;
      } else if (tag === 'li' && !closing) {
        const list = lists[lists.length - 1];
        out.block(1);
        // After an item ending in a paragraph (`<li><p>`), the next one still follows on the next line.
        if (list && list.items > 0) out.limitBreak(1);
        if (list) {
          list.items++;
          list.number = ordinal(attribute(attributes, 'value')) ?? list.number;
        }
        const indent = '  '.repeat(Math.max(0, lists.length - 1));
        const marker = `${indent}${list?.ordered ? `${list.number++}.` : '-'} `;
        out.marker(marker);
        out.indent = ' '.repeat(marker.length);
        return;
      } else if (tag === 'a') {
        if (!closing) links.push({ href: attribute(attributes, 'href'), start: out.length });
        else closeLink(out, links.pop());
      } else if (tag === 'hr' && !closing) {
        out.block(2);
        out.text('---');
      }
      if (PARAGRAPH.has(tag)) out.block(2);
      else if (LINE.has(tag)) out.block(1);
    },
  });
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
