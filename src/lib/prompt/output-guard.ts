import { normalizeForMatching } from '../text/normalize';

/** Limits that generated text must satisfy before it may reach a message or a journey name. */
export interface OutputGuardOptions {
  maxLength: number;
  maxWords?: number;
  allowUrls?: boolean;
  allowHtml?: boolean;
  /** Lower-case terms that may not appear as words or phrases. */
  blockedTerms?: readonly string[];
}

export type GuardResult = { ok: true; text: string } | { ok: false; reason: string };

// Mail and push apps turn any name.tld into a link, whatever the top-level domain: a scheme, www., a short
// name on a common domain (x.com), a name of two or more characters on any domain (e-mail domains too,
// while e.g. and p.ex. stay text), or an IPv4 address. An ideographic full stop between two Latin names
// (example。com) counts too, but not between two sentences of Japanese or Chinese, which it ends without
// a space after it.
const URL_LIKE = new RegExp(
  [
    String.raw`\b[a-z][a-z0-9+.-]*:\/\/\S*`,
    String.raw`\bwww\.\S+`,
    String.raw`\b[a-z0-9-]+\.(?:com|net|org|io|ly|co|info|biz|xyz|app)\b`,
    String.raw`[\p{L}\p{N}-]{2,}\.\p{L}{2,}(?![\p{L}\p{N}])`,
    String.raw`[a-z0-9-]{2,}[\u3002\uff61][a-z]{2,}(?![\p{L}\p{N}])`,
    String.raw`\b\d{1,3}(?:\.\d{1,3}){3}\b`,
  ].join('|'),
  'iu',
);
const MARKDOWN_LIKE = /\*\*|__|`|\]\(|^#{1,6} /m;
const HTML_LIKE = /<\/?[a-z][^>]*>|&[a-z]+;|&#\d+;/i;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// Zero-width spaces and joiners, soft hyphens, word joiners, tag characters: nothing a reader sees, so
// one inside a word ("fr\u2060ee") must not hide it from the checks. Emoji sequences keep theirs.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

/** The text as a reader sees it, without invisible code points: what URL, HTML and word checks read. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * Validates generated text: trims it and rejects empty, over-long, URL, HTML (beyond inline emphasis
 * when `allowHtml`), Markdown, template-syntax, control-character or blocked output.
 */
export function guardGeneratedText(raw: unknown, options: OutputGuardOptions): GuardResult {
  if (typeof raw !== 'string') return { ok: false, reason: 'not a string' };
  const text = raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (text.length === 0) return { ok: false, reason: 'empty' };
  // Characters are code points, as the prompt's JSON schema and push fitting count them (an emoji is one).
  if ([...text].length > options.maxLength) return { ok: false, reason: `longer than ${options.maxLength} characters` };
  if (options.maxWords !== undefined && text.split(' ').length > options.maxWords) {
    return { ok: false, reason: `more than ${options.maxWords} words` };
  }
  if (CONTROL.test(raw)) return { ok: false, reason: 'control characters' };
  const visible = visibleText(text);
  if (!options.allowUrls && URL_LIKE.test(visible)) return { ok: false, reason: 'contains a URL' };
  if (!options.allowHtml && HTML_LIKE.test(visible)) return { ok: false, reason: 'contains HTML' };
  // Chat models like Markdown; no message renders it, so its asterisks and backticks would show as they are.
  if (MARKDOWN_LIKE.test(visible)) return { ok: false, reason: 'contains Markdown' };
  const markup = options.allowHtml ? inlineMarkupProblem(visible) : undefined;
  if (markup) return { ok: false, reason: markup };
  // Generated text is a template's value, never re-rendered: `{{name}}` would reach the message as it is.
  if (/\{\{|\}\}/.test(visible)) return { ok: false, reason: 'contains template syntax' };
  const blocked = findBlockedTerm(text, options.blockedTerms ?? []);
  if (blocked) return { ok: false, reason: `contains the blocked term "${blocked}"` };
  return { ok: true, text };
}

// Where HTML is allowed, only inline emphasis and line breaks, without attributes: anything else could run
// script (<script>, onclick=), link or load (<a>, <img>, <style>) or restyle the message around it.
export const INLINE_TAGS = /<\/?(?:b|strong|i|em)\s*>|<br\s*\/?>/gi;
const INLINE_TAG = new RegExp(`^(?:${INLINE_TAGS.source})$`, 'i');
export const INLINE_TAGS_TEXT = '<b>, <strong>, <i>, <em> and <br> without attributes';
// What a browser reads as markup: a tag, an end tag, a comment, a doctype or a processing instruction.
const MARKUP_START = /<[a-z/!?]/gi;

/** The text as a reader sees it (see {@link visibleText}), without the inline emphasis tags allowed HTML may hold. */
export function readableText(text: string): string {
  return visibleText(text).replace(INLINE_TAGS, ' ');
}

/** Why `text` holds HTML beyond inline emphasis, or an emphasis tag left open or closed out of turn. */
function inlineMarkupProblem(text: string): string | undefined {
  const open: string[] = [];
  for (const match of text.matchAll(MARKUP_START)) {
    const end = text.indexOf('>', match.index);
    const tag = end === -1 ? text.slice(match.index) : text.slice(match.index, end + 1);
    const shown = JSON.stringify(tag.slice(0, 40));
    if (!INLINE_TAG.test(tag)) return `contains HTML other than ${INLINE_TAGS_TEXT} (${shown})`;
    const name = /^<\/?([a-z]+)/i.exec(tag)![1].toLowerCase();
    if (name === 'br') continue;
    if (!tag.startsWith('</')) open.push(name);
    else if (open.pop() !== name) return `closes <${name}> out of order`;
  }
  return open.length > 0 ? `leaves <${open.at(-1)}> open` : undefined;
}

/** Returns the first blocked term found as a whole word or phrase (case-insensitive), if any. */
export function findBlockedTerm(text: string, blockedTerms: readonly string[]): string | undefined {
  return findTermInWords(paddedWords(text), blockedTerms);
}

/** Lower-case words of a text, space-separated and space-padded, as {@link findTermInWords} expects them. */
export function paddedWords(text: string): string {
  return ` ${wordsOf(text)} `;
}

/** {@link findBlockedTerm} on a text already turned into {@link paddedWords}, to check one text against many lists. */
export function findTermInWords(padded: string, terms: readonly string[]): string | undefined {
  const normalized = normalizedTerms(terms);
  const i = normalized.findIndex((words) => words.length > 0 && padded.includes(` ${words} `));
  return i < 0 ? undefined : terms[i];
}

// The words as keywords see them: marks stay on their letters (a Devanagari vowel sign is part of the word),
// accents of Latin, Greek and Cyrillic letters are dropped (a blocked "cocaína" is "cocaina" too).
const wordsOf = (text: string) => normalizeForMatching(visibleText(text));

// Term lists come from configuration and are checked against every journey of every build: normalized once.
const normalizedLists = new WeakMap<readonly string[], string[]>();

function normalizedTerms(terms: readonly string[]): string[] {
  let normalized = normalizedLists.get(terms);
  if (!normalized) normalizedLists.set(terms, (normalized = terms.map(wordsOf)));
  return normalized;
}
