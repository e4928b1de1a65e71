import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SharedFiles } from './domain/check-template';
import { CHANNEL_PARTS, CHANNELS, isPartOf, parseFileName, parseRef, PartName } from './domain/template-layout';
import {
  DEFAULT_VARIANT,
  LayoutSource,
  SourceFile,
  TemplateMeta,
  TemplateSource,
  variantLocales,
} from './domain/template-source';
import { TemplateError } from './domain/templates.errors';
import { readData, readMeta, readTemplate } from './template-files';
import { HandlebarsEngine } from './handlebars-engine';
import { TemplateProblem, TemplateSummary } from './template.types';

interface Shared {
  partials: Map<string, SourceFile[]>;
  layouts: Map<string, LayoutSource>;
  problems: Map<string, TemplateProblem[]>;
}

/**
 * Reads the templates folder: `<channel>/<name>/` templates, `partials/` and `layouts/`. Everything
 * is read and parsed once and kept until `clear()`; reading problems are collected, never thrown,
 * so a broken template cannot stop the others.
 */
export class TemplateCatalog {
  private readonly templates = new Map<string, TemplateSource>();
  private shared?: Shared;

  constructor(
    readonly root: string,
    private readonly engine: HandlebarsEngine,
  ) {}

  /** The template `ref`; throws `templates.not-found` for a malformed ref or a missing folder. */
  template(ref: string): TemplateSource {
    let source = this.templates.get(ref);
    if (!source) {
      source = this.read(ref);
      this.templates.set(ref, source);
    }
    return source;
  }

  sharedFiles(): SharedFiles {
    const shared = (this.shared ??= this.readShared());
    return {
      partial: (name) => shared.partials.get(name) ?? [],
      layout: (name) => shared.layouts.get(name),
      problemsOf: (file) => shared.problems.get(file) ?? [],
    };
  }

  /** Every template folder, with its channel, locales and description. */
  list(): TemplateSummary[] {
    const summaries: TemplateSummary[] = [];
    for (const channel of CHANNELS) {
      for (const name of this.folders(join(this.root, channel))) {
        const ref = `${channel}/${name}`;
        if (!parseRef(ref)) continue;
        const source = this.template(ref);
        const summary: TemplateSummary = { ref, channel, locales: variantLocales(source.parts.values()) };
        if (source.meta.description) summary.description = source.meta.description;
        summaries.push(summary);
      }
    }
    return summaries;
  }

  clear(): void {
    this.templates.clear();
    this.shared = undefined;
  }

  private folders(dir: string): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  }

  private read(ref: string): TemplateSource {
    const parsed = parseRef(ref);
    if (!parsed) {
      throw new TemplateError(
        'templates.not-found',
        `"${ref}" is not a template reference (push/<name> or email/<name>)`,
        'ref',
      );
    }
    const dir = join(this.root, ref);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new TemplateError('templates.not-found', `no template ${ref} in ${this.root}`, 'ref');
    }
    const { channel } = parsed;
    const problems: TemplateProblem[] = [];
    const report = (file: string, message: string, line = 1, column = 1) =>
      problems.push({ ref, file, line, column, message });
    const parts = new Map<PartName, Map<string, SourceFile>>();
    let meta: TemplateMeta = { layout: channel === 'email' ? 'default' : null, locale: 'en' };
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = `${ref}/${entry.name}`;
      if (entry.isDirectory()) {
        report(file, 'unexpected folder: locale variants are files such as title.fr.hbs');
        continue;
      }
      if (entry.name === 'template.json') {
        meta = readMeta(join(dir, entry.name), file, meta, report);
        continue;
      }
      const name = parseFileName(entry.name);
      if (typeof name === 'string' || !isPartOf(channel, name)) {
        const { required, optional } = CHANNEL_PARTS[channel];
        const expected = [...required, ...optional].map((p) => (p === 'data' ? 'data.json' : `${p}.hbs`)).join(', ');
        report(file, typeof name === 'string' ? name : `not a ${channel} part (expected ${expected})`);
        continue;
      }
      const toRead = { path: join(dir, entry.name), file };
      const read = name.extension === 'json' ? readData(this.engine, toRead) : readTemplate(this.engine, toRead);
      problems.push(...read.problems.map((p) => ({ ...p, ref })));
      if (!parts.has(name.stem as PartName)) parts.set(name.stem as PartName, new Map());
      parts.get(name.stem as PartName)!.set(name.locale ?? DEFAULT_VARIANT, { ...read.file, locale: name.locale });
    }
    return { ref, channel, meta, parts, problems };
  }

  private readShared(): Shared {
    const shared: Shared = { partials: new Map(), layouts: new Map(), problems: new Map() };
    const note = (problem: TemplateProblem) =>
      shared.problems.set(problem.file, [...(shared.problems.get(problem.file) ?? []), problem]);
    for (const folder of ['partials', 'layouts'] as const) {
      const dir = join(this.root, folder);
      if (!existsSync(dir)) continue;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = `${folder}/${entry.name}`;
        const name = entry.isFile() ? parseFileName(entry.name, folder === 'layouts') : 'expected a file';
        if (typeof name === 'string' || name.extension !== 'hbs') {
          note({
            ref: '',
            file,
            line: 1,
            column: 1,
            message: typeof name === 'string' ? name : 'expected a .hbs file',
          });
          continue;
        }
        const read = readTemplate(this.engine, { path: join(dir, entry.name), file });
        read.problems.forEach(note);
        const variant = { ...read.file, locale: name.locale };
        if (folder === 'partials') {
          shared.partials.set(name.stem, [...(shared.partials.get(name.stem) ?? []), variant]);
        } else {
          const layout = shared.layouts.get(name.stem) ?? { name: name.stem, html: new Map(), text: new Map() };
          layout[name.kind as 'html' | 'text'].set(name.locale ?? DEFAULT_VARIANT, variant);
          shared.layouts.set(name.stem, layout);
        }
      }
    }
    return shared;
  }
}
