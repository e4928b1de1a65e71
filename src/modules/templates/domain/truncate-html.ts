import { decodeEntities, scanHtml, VOID_ELEMENTS } from './html-scan';
import { ELLIPSIS, keptLength, TruncateOptions } from './truncate';

/**
 * `truncate` of HTML (copy such as `copy.introHtml`, or a SafeString): the limit counts the characters a
 * reader sees, an entity as the one it shows and a tag as none; the cut falls in text, never inside a tag
 * or an entity, and the tags left open are closed after the ellipsis.
 */

// Elements that start a new line where they open or close: the text on either side reads as two words.
const BREAKS = new Set(['br', 'p', 'div', 'li', 'tr', 'td', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote']);
const SPACE = /\s/;

/** The text of `html` as shown (entities decoded, spaces collapsed), with where each of its code units ends in the HTML. */
function visibleText(html: string): { text: string; ends: number[] } {
  let text = '';
  const ends: number[] = [];
  const add = (shown: string, end: number) => {
    for (const c of shown) {
      if (SPACE.test(c) && (text === '' || SPACE.test(text[text.length - 1]))) continue;
      text += c;
      for (let k = 0; k < c.length; k++) ends.push(end);
    }
  };
  scanHtml(html, {
    text: (run, start) => {
      for (let i = 0; i < run.length; i++) {
        const semicolon = run[i] === '&' ? run.indexOf(';', i) : -1;
        const reference = semicolon > i && semicolon - i <= 32 ? run.slice(i, semicolon + 1) : undefined;
        const shown = reference === undefined ? reference : decodeEntities(reference);
        if (shown !== undefined && shown !== reference) {
          add(shown, start + semicolon + 1);
          i = semicolon;
        } else add(run[i], start + i + 1);
      }
    },
    tag: (name) => {
      if (BREAKS.has(name)) add(' ', ends.length > 0 ? ends[ends.length - 1] : 0);
    },
  });
  return { text, ends };
}

/** The closing tags of the elements `html` leaves open, innermost first. */
function closingTags(html: string): string {
  const open: string[] = [];
  scanHtml(html, {
    text: () => undefined,
    tag: (name, closing, attributes) => {
      if (!closing) {
        if (!VOID_ELEMENTS.has(name) && !attributes.trimEnd().endsWith('/')) open.push(name);
        return;
      }
      const at = open.lastIndexOf(name);
      if (at !== -1) open.length = at;
    },
  });
  return open
    .reverse()
    .map((name) => `</${name}>`)
    .join('');
}

/** `html` shortened to at most `limit` visible characters, cut as `truncateWords` cuts text, with its open tags closed. */
export function truncateHtml(html: string, limit: number, options: TruncateOptions = {}): string {
  const { text, ends } = visibleText(html);
  const kept = keptLength(text, limit, options);
  if (kept === undefined) return html;
  if (kept === 0) return '';
  const start = html.slice(0, ends[kept - 1]);
  return start + (options.ellipsis ?? ELLIPSIS) + closingTags(start);
}
