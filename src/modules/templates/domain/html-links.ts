import { TemplateProblem } from '../template.types';
import { linkProblems, ORIGIN_WRITTEN, Report, URL_HELPERS } from './deep-link';
import { Program, Statement } from './template-ast';

// Attributes that hold one URL a reader follows or a mail client fetches.
const URL_ATTRIBUTES = new Set(['href', 'src', 'background', 'action', 'formaction', 'poster']);
// Attributes that hold image candidates: URLs, each maybe followed by a descriptor, separated by commas.
const CANDIDATE_ATTRIBUTES = new Set(['srcset', 'imagesrcset']);
// What a value's output stands for in the text followed: any text, or a URL a helper wrote whole.
const VALUE = 'x';
const TRACKED = 'https://tracked.invalid/';

const MESSAGE =
  'a link in HTML writes its scheme and host out before any {{ }}, or starts with {{track ...}}: a value there could change where it goes';

/**
 * Problems of an HTML file (an email's html part, an HTML layout or a partial they call): a value printed
 * in an href or src (or another URL attribute, an image candidate of a srcset, a CSS `url()` in a style
 * attribute or block) before its scheme and host are written out could send the link, or the fetch of an
 * image, to another host (`href="https://{{x}}/path"`, `src="https://cdn.example.com{{x}}"`).
 */
export function htmlLinkProblems(ref: string, file: string, ast: Program): TemplateProblem[] {
  return linkProblems(ref, file, MESSAGE, (report) => walk(ast.body, '', report));
}

/** Follows the HTML text around each value; returns the text after `body` (its first branch's, for a block). */
function walk(body: readonly Statement[], before: string, report: Report): string {
  let text = before;
  for (const statement of body) {
    switch (statement.type) {
      case 'ContentStatement':
        text = fromLastTag(text + (statement.value ?? ''));
        continue;
      case 'CommentStatement':
        continue;
      case 'BlockStatement': {
        const after = walk(statement.program?.body ?? [], text, report);
        walk(statement.inverse?.body ?? [], text, report);
        text = after;
        continue;
      }
      case 'MustacheStatement': {
        const value = openUrlValue(text);
        if (value === undefined) {
          text += VALUE;
          continue;
        }
        const { path } = statement;
        const urlHelper = path.type === 'PathExpression' && URL_HELPERS.has(path.original);
        if (urlHelper && value.trim() === '') text += TRACKED;
        else if (ORIGIN_WRITTEN.test(value) || value.startsWith('#')) text += VALUE;
        else {
          report(statement.loc);
          text += TRACKED;
        }
        continue;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
      case 'Decorator':
      case 'DecoratorBlock':
        if (openUrlValue(text) !== undefined) report(statement.loc);
        text += VALUE;
    }
  }
  return text;
}

/** The text from its last `<` on: all that says whether the next value lands inside a tag. */
function fromLastTag(text: string): string {
  const lt = text.lastIndexOf('<');
  return lt === -1 ? '' : text.slice(lt);
}

/**
 * When `text` ends inside a URL in HTML (the value of a URL attribute of an open tag, an image candidate of
 * a srcset, a CSS `url()` in a style attribute or a style block), that URL so far (possibly empty);
 * otherwise undefined.
 */
function openUrlValue(text: string): string | undefined {
  if (!/^<[a-z]/i.test(text)) return undefined;
  const styleBlock = /^<style\b[^>]*>/i.exec(text);
  if (styleBlock) return cssUrlSoFar(text.slice(styleBlock[0].length));
  let i = 1;
  while (i < text.length && !/[\s/>]/.test(text[i])) i++;
  for (;;) {
    while (i < text.length && /[\s/]/.test(text[i])) i++;
    if (i >= text.length || text[i] === '>') return undefined;
    const nameStart = i;
    while (i < text.length && !/[\s/>=]/.test(text[i])) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] !== '=') continue;
    i++;
    while (i < text.length && /\s/.test(text[i])) i++;
    const quote = text[i] === '"' || text[i] === "'" ? text[i] : undefined;
    const start = quote ? i + 1 : i;
    const end = quote ? text.indexOf(quote, start) : firstIndex(text, /[\s>]/, start);
    if (end === -1) return urlSoFar(name, text.slice(start));
    i = quote ? end + 1 : end;
  }
}

/** The URL a value would land in, within attribute `name` whose value so far is `value`; undefined for none. */
function urlSoFar(name: string, value: string): string | undefined {
  if (URL_ATTRIBUTES.has(name)) return value;
  if (name === 'style') return cssUrlSoFar(value);
  if (!CANDIDATE_ATTRIBUTES.has(name)) return undefined;
  // Candidates are separated by a comma and white space; a URL ends at white space, where its descriptor starts.
  const candidate = value.endsWith(',') ? '' : value.split(/,\s+/).pop()!.trimStart();
  return /\s/.test(candidate) ? undefined : candidate;
}

/** When CSS `css` ends inside a `url(...)`, the URL so far (without its quote); otherwise undefined. */
function cssUrlSoFar(css: string): string | undefined {
  const open = [...css.matchAll(/url\(\s*(["']?)/gi)].pop();
  if (!open) return undefined;
  const rest = css.slice(open.index + open[0].length);
  return rest.includes(open[1] || ')') ? undefined : rest;
}

function firstIndex(text: string, pattern: RegExp, from: number): number {
  const found = text.slice(from).search(pattern);
  return found === -1 ? -1 : from + found;
}
