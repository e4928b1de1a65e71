import { CheckResult, SharedFiles } from './domain/check-template';
import { htmlToText } from './domain/html-to-text';
import { languageOf, localeChain } from './domain/locale-chain';
import { linksPresent } from './domain/links';
import { multiLine, oneLine } from './domain/plain-text';
import { fitPush } from './domain/push-payload';
import { EscapeMode, PART_ESCAPE, PartName } from './domain/template-layout';
import { DEFAULT_VARIANT, SourceFile, TemplateSource } from './domain/template-source';
import { HandlebarsEngine, RenderData, RenderState, TemplateFunction } from './handlebars-engine';
import { contentHash } from './template-catalog';
import { PushLimits, RenderedEmail, RenderedPush, TemplateUsed } from './template.types';

type Compiled = { fn: TemplateFunction; mode: EscapeMode };

/** The file of `byLocale` a recipient with this fallback chain gets: the most specific, else the default. */
function pick(byLocale: Map<string, SourceFile> | undefined, chain: readonly string[]): SourceFile | undefined {
  if (!byLocale) return undefined;
  for (const locale of chain) {
    const file = byLocale.get(locale);
    if (file) return file;
  }
  return byLocale.get(DEFAULT_VARIANT);
}

/**
 * One template compiled for one recipient locale: the files its fallback chain selects (parts,
 * layout, partials), compiled once, and the content hash of exactly those files. Rendering is then
 * a few cached function calls.
 */
export class CompiledTemplate {
  readonly used: TemplateUsed;
  /** Locale dates and numbers are written in: the recipient's when the text is in their language. */
  readonly formatLocale: string;
  private readonly parts = new Map<PartName, Compiled>();
  private readonly data: Array<[string, TemplateFunction]> = [];
  private readonly layout: Partial<Record<'html' | 'text', TemplateFunction>> = {};
  private readonly partials = new Map<EscapeMode, Record<string, TemplateFunction>>();

  constructor(
    private readonly engine: HandlebarsEngine,
    source: TemplateSource,
    check: CheckResult,
    shared: SharedFiles,
    locale: string,
  ) {
    const chain = localeChain(locale);
    const files: SourceFile[] = [];
    const variant = chain.find((l) => [...source.parts.values()].some((byLocale) => byLocale.has(l)));
    for (const [part, byLocale] of source.parts) {
      const file = pick(byLocale, chain)!;
      files.push(file);
      if (part === 'data') {
        for (const { key, ast } of file.entries ?? []) {
          this.data.push([key, engine.compile(ast!, 'text', `${file.hash}:${key}`)]);
        }
      } else {
        const mode = PART_ESCAPE[part];
        this.parts.set(part, { fn: engine.compile(file.ast!, mode, file.hash), mode });
      }
    }
    const layout = source.meta.layout === null ? undefined : shared.layout(source.meta.layout);
    for (const kind of ['html', 'text'] as const) {
      const file = pick(layout?.[kind], chain);
      if (!file || (kind === 'text' && !source.parts.has('text'))) continue;
      files.push(file);
      this.layout[kind] = engine.compile(file.ast!, kind, file.hash);
    }
    const partialNames = new Set(files.flatMap((f) => [...(check.partials.get(f.file) ?? [])]));
    const partialFiles = [...partialNames].map(
      (name) => [name, pick(mapByLocale(shared.partial(name)), chain)!] as const,
    );
    for (const mode of new Set([...this.parts.values()].map((p) => p.mode).concat('text'))) {
      this.partials.set(
        mode,
        Object.fromEntries(partialFiles.map(([n, f]) => [n, engine.compile(f.ast!, mode, f.hash)])),
      );
    }
    files.push(...partialFiles.map(([, f]) => f));
    this.used = {
      ref: source.ref,
      locale: variant ?? 'default',
      hash: contentHash(...files.map((f) => `${f.file}:${f.hash}`).sort()),
    };
    const written = variant ? locale : source.meta.locale;
    this.formatLocale = languageOf(written) === languageOf(locale) ? locale : written;
  }

  private run(part: PartName, context: unknown, data: RenderData): string {
    const compiled = this.parts.get(part);
    if (!compiled) return '';
    return this.engine.run(compiled.fn, context, data, this.partials.get(compiled.mode)!);
  }

  private dataFor(state: RenderState, extra: Record<string, unknown> = {}): RenderData {
    return { locale: state.locale, timeZone: state.timeZone, jc: state, ...extra };
  }

  /** Renders title, body, deep link and data, then fits them to the push limits. */
  renderPush(context: unknown, state: RenderState, limits: PushLimits): RenderedPush {
    const data = this.dataFor(state);
    const deepLink = this.parts.has('deep-link') ? this.run('deep-link', context, data).trim() : undefined;
    const values = Object.fromEntries(
      this.data.map(([key, fn]) => [key, this.engine.run(fn, context, data, this.partials.get('text')!).trim()]),
    );
    const raw = { title: oneLine(this.run('title', context, data)), body: multiLine(this.run('body', context, data)) };
    const { parts, truncated } = fitPush({ ...raw, deepLink, data: values }, limits, state.locale);
    const texts = [parts.title, parts.body, parts.deepLink ?? '', ...Object.values(parts.data)];
    const message: RenderedPush = {
      channel: 'push',
      title: parts.title,
      body: parts.body,
      data: parts.data,
      links: linksPresent(state.links.links, texts),
      truncated,
      template: this.used,
    };
    if (parts.deepLink) message.deepLink = parts.deepLink;
    return message;
  }

  /** Renders subject, preheader and HTML (inside the layout), and the text part or one derived from the HTML. */
  renderEmail(context: unknown, state: RenderState): RenderedEmail {
    const data = this.dataFor(state);
    const subject = oneLine(this.run('subject', context, data));
    const preheader = oneLine(this.run('preheader', context, data));
    const layoutData = (content: string) => this.dataFor(state, { content, subject, preheader });
    const content = this.run('html', context, data);
    const html = this.layout.html
      ? this.engine.run(this.layout.html, context, layoutData(content), this.partials.get('html')!)
      : content;
    let text: string;
    if (this.parts.has('text')) {
      const body = this.run('text', context, data);
      text = this.layout.text
        ? this.engine.run(this.layout.text, context, layoutData(body), this.partials.get('text')!)
        : body;
      text = multiLine(text);
    } else {
      text = htmlToText(html);
    }
    const links = linksPresent(state.links.links, [subject, preheader, html, text]);
    return { channel: 'email', subject, preheader, html, text, links, template: this.used };
  }
}

function mapByLocale(files: readonly SourceFile[]): Map<string, SourceFile> {
  return new Map(files.map((file) => [file.locale ?? DEFAULT_VARIANT, file]));
}
