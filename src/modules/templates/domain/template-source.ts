import { TemplateChannel, TemplateProblem } from '../template.types';
import { PartName } from './template-layout';
import { Program } from './template-ast';

/**
 * A template as read from disk, before compiling: every file with its locale, content hash and
 * parsed tree (absent when the file does not parse; its syntax error is among the problems).
 */
export interface SourceFile {
  /** Path relative to the templates folder, with `/` separators. */
  file: string;
  /** Canonical locale of the variant; undefined for the default files. */
  locale?: string;
  hash: string;
  ast?: Program;
  /** For `data.json`: each key's value, parsed as a template positioned in the JSON file. */
  entries?: Array<{ key: string; ast?: Program }>;
}

/** `template.json`: what the template is, which layout wraps its HTML, and the language of its default files. */
export interface TemplateMeta {
  description?: string;
  /** Name of a layout in `layouts/`, or null for an email whose `html.hbs` is a whole document. */
  layout: string | null;
  /** Language the default (unsuffixed) files are written in; dates and numbers in them use it. */
  locale: string;
}

export interface TemplateSource {
  ref: string;
  channel: TemplateChannel;
  meta: TemplateMeta;
  parts: Map<PartName, Map<string, SourceFile>>;
  /** Problems found while reading: file names, syntax errors, `template.json` and `data.json`. */
  problems: TemplateProblem[];
}

/** A layout's HTML and text files by locale (`` for the default). */
export interface LayoutSource {
  name: string;
  html: Map<string, SourceFile>;
  text: Map<string, SourceFile>;
}

/** The key of the default variant in the locale maps. */
export const DEFAULT_VARIANT = '';

/** Variant keys present in `files`, the locale ones sorted. */
export function variantLocales(files: Iterable<Map<string, SourceFile>>): string[] {
  const locales = new Set<string>();
  for (const byLocale of files) {
    for (const locale of byLocale.keys()) if (locale !== DEFAULT_VARIANT) locales.add(locale);
  }
  return [...locales].sort();
}
