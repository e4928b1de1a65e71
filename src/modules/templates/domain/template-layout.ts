import { TemplateChannel } from '../template.types';
import { isCanonicalLocale } from './locale-chain';

/**
 * How templates sit on disk: `<channel>/<name>/<part>[.<locale>].hbs`, plus `layouts/` and
 * `partials/` shared by every template. These rules are the single source the loader, the checker
 * and the README describe.
 */
export type PartName = 'title' | 'body' | 'deep-link' | 'data' | 'subject' | 'preheader' | 'html' | 'text';

/** How `{{ }}` output is escaped in a part: HTML entities, nothing (plain text), or percent-encoding. */
export type EscapeMode = 'html' | 'text' | 'url';

export const CHANNELS: readonly TemplateChannel[] = ['push', 'email'];

export const CHANNEL_PARTS: Record<TemplateChannel, { required: readonly PartName[]; optional: readonly PartName[] }> =
  {
    push: { required: ['title', 'body'], optional: ['deep-link', 'data'] },
    email: { required: ['subject', 'preheader', 'html'], optional: ['text'] },
  };

export const PART_ESCAPE: Record<PartName, EscapeMode> = {
  title: 'text',
  body: 'text',
  'deep-link': 'url',
  data: 'text',
  subject: 'text',
  preheader: 'text',
  html: 'html',
  text: 'text',
};

/** Names of templates, layouts and partials: lower-case letters, digits, `-` and `_`. */
const NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** The channel and name of a template reference such as `push/journey-nudge`, or undefined when malformed. */
export function parseRef(ref: string): { channel: TemplateChannel; name: string } | undefined {
  const [channel, name, ...rest] = ref.split('/');
  if (rest.length > 0 || !CHANNELS.includes(channel as TemplateChannel) || !NAME.test(name ?? '')) return undefined;
  return { channel: channel as TemplateChannel, name };
}

export interface FileName {
  /** The part, layout or partial name. */
  stem: string;
  /** Second segment of layout files: `html` or `text`. */
  kind?: string;
  /** Canonical locale suffix; undefined for the default variant. */
  locale?: string;
  extension: 'hbs' | 'json';
}

/**
 * Splits `title.fr-CA.hbs`, `data.json` or (with `withKind`) `default.html.fr.hbs`, or returns a
 * sentence saying why the name does not follow the layout.
 */
export function parseFileName(fileName: string, withKind = false): FileName | string {
  const segments = fileName.split('.');
  const extension = segments.pop();
  if (extension !== 'hbs' && extension !== 'json') return 'expected a .hbs (or data.json) file';
  const stem = segments.shift() ?? '';
  if (!NAME.test(stem)) return `"${stem}" is not a valid name (lower-case letters, digits, - and _)`;
  const kind = withKind ? segments.shift() : undefined;
  if (withKind && kind !== 'html' && kind !== 'text') {
    return 'layout files are named <name>.html.hbs or <name>.text.hbs';
  }
  const locale = segments.shift();
  if (segments.length > 0) return 'too many dots: expected <name>[.<locale>].hbs';
  if (locale !== undefined && !isCanonicalLocale(locale)) {
    return `"${locale}" is not a canonical locale suffix (write it like fr or fr-CA)`;
  }
  return { stem, kind, locale, extension };
}

/** Whether `part` belongs to `channel` and, for `data`, is the JSON file (every other part is `.hbs`). */
export function isPartOf(channel: TemplateChannel, file: FileName): boolean {
  const { required, optional } = CHANNEL_PARTS[channel];
  const part = file.stem as PartName;
  if (!required.includes(part) && !optional.includes(part)) return false;
  return (part === 'data') === (file.extension === 'json');
}
