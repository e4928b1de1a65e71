import { CheckResult, SharedFiles } from './domain/check-template';
import { htmlToText } from './domain/html-to-text';
import { sameWriting, textDirection, variantChain } from './domain/locale-chain';
import { linksPresent } from './domain/links';
import { multiLine, oneLine } from './domain/plain-text';
import { partialKey } from './domain/prepare-ast';
import { fitPush, requirePushText } from './domain/push-payload';
import { EscapeMode, PART_ESCAPE, PartName } from './domain/template-layout';
import { DEFAULT_VARIANT, SourceFile, TemplateSource } from './domain/template-source';
import { HandlebarsEngine, RenderData, RenderState, RenderStep, TemplateFunction } from './handlebars-engine';
import { contentHash } from './template-files';
import { PushLimits, RenderedEmail, RenderedPush, TemplateUsed } from './template.types';

/**
 * Text parts derived from the latest HTML a compiled template rendered, kept by that HTML: the recipients of
 * one message (the same content, and the same link nonce within a run's chunk) share it, so it is read once.
 */
const DERIVED_TEXTS = 16;

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
  /** Direction of the text (`@dir`): that of the language it is written in. */
  readonly direction: 'ltr' | 'rtl';
  private readonly parts = new Map<PartName, TemplateFunction>();
  private readonly data: Array<[string, TemplateFunction]> = [];
  private readonly layout: Partial<Record<'html' | 'text', TemplateFunction>> = {};
  /** Every partial the parts call, compiled in each escape mode used, keyed `mode:name`. */
  private readonly partials: Record<string, TemplateFunction> = {};
  private readonly derivedTexts = new Map<string, string>();

  constructor(
    private readonly engine: HandlebarsEngine,
    source: TemplateSource,
    check: CheckResult,
    shared: SharedFiles,
    locale: string,
  ) {
    const chain = variantChain(locale);
    const files: SourceFile[] = [];
    const variant = chain.find((l) => [...source.parts.values()].some((byLocale) => byLocale.has(l)));
    const modes = new Set<EscapeMode>();
    for (const [part, byLocale] of source.parts) {
      // A variant's text part is in its own language or derived from its HTML, never the default text.hbs.
      if (part === 'text' && variant && !chain.some((l) => byLocale.has(l))) continue;
      const file = pick(byLocale, chain)!;
      const mode = PART_ESCAPE[part];
      files.push(file);
      modes.add(mode);
      if (part === 'data') {
        for (const { key, ast } of file.entries ?? []) {
          this.data.push([key, engine.compile(ast!, mode, `${file.hash}:${key}`)]);
        }
      } else {
        this.parts.set(part, engine.compile(file.ast!, mode, file.hash));
      }
    }
    // The text is in the variant picked, or the default files' language; the reader's own locale when it reads alike.
    const written = variant ?? source.meta.locale;
    this.formatLocale = sameWriting(written, locale) ? locale : written;
    this.direction = textDirection(this.formatLocale);
    // Layouts and partials follow the text's chain, so they are in its language and script, not merely the reader's.
    const sharedChain = variantChain(this.formatLocale);
    const layout = source.meta.layout === null ? undefined : shared.layout(source.meta.layout);
    for (const kind of ['html', 'text'] as const) {
      const file = pick(layout?.[kind], sharedChain);
      if (!file || (kind === 'text' && !this.parts.has('text'))) continue;
      files.push(file);
      modes.add(kind);
      this.layout[kind] = engine.compile(file.ast!, kind, file.hash);
    }
    const partialNames = new Set(files.flatMap((f) => [...(check.partials.get(f.file) ?? [])]));
    for (const name of partialNames) {
      const file = pick(mapByLocale(shared.partial(name)), sharedChain)!;
      files.push(file);
      for (const mode of modes) {
        this.partials[partialKey(mode, name)] = engine.compile(file.ast!, mode, file.hash);
      }
    }
    this.used = {
      ref: source.ref,
      locale: variant ?? 'default',
      hash: contentHash(...files.map((f) => `${f.file}:${f.hash}`).sort()),
    };
  }

  private dataFor(state: RenderState): RenderData {
    return { locale: state.locale, timeZone: state.timeZone, dir: this.direction, jc: state };
  }

  /** Renders title, body, deep link and data, then fits them to the push limits. */
  renderPush(context: unknown, state: RenderState, limits: PushLimits): RenderedPush {
    const deepLink = this.parts.get('deep-link');
    const fns = [this.parts.get('title')!, this.parts.get('body')!, ...this.data.map(([, fn]) => fn)];
    if (deepLink) fns.push(deepLink);
    const steps = fns.map((fn) => ({ fn }));
    const [title, body, ...rest] = this.engine.render(steps, context, this.dataFor(state), this.partials);
    const values = Object.fromEntries(this.data.map(([key], i) => [key, rest[i].trim()]));
    const raw = {
      title: oneLine(title),
      body: multiLine(body),
      deepLink: deepLink && rest.at(-1)!.trim(),
      data: values,
    };
    requirePushText(raw);
    const { parts, truncated } = fitPush(raw, limits, state.locale);
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

  /**
   * Renders subject, preheader and HTML, then the layout around the HTML in the same run (it reads
   * them as `@subject`, `@preheader` and `@content`); the text part comes from text.hbs inside the text
   * layout, or is derived from the final HTML.
   */
  renderEmail(context: unknown, state: RenderState): RenderedEmail {
    const steps: RenderStep[] = [
      { fn: this.parts.get('subject')!, as: 'subject', clean: oneLine },
      { fn: this.parts.get('preheader')!, as: 'preheader', clean: oneLine },
      { fn: this.parts.get('html')!, as: 'content' },
    ];
    if (this.layout.html) steps.push({ fn: this.layout.html });
    const data = this.dataFor(state);
    const [subject, preheader, content, framed] = this.engine.render(steps, context, data, this.partials);
    const html = framed ?? content;
    const textPart = this.parts.get('text');
    let text: string;
    if (!textPart) {
      text = this.textOf(html);
    } else {
      const textSteps: RenderStep[] = [{ fn: textPart, as: 'content', clean: (t) => t.trim() }];
      if (this.layout.text) textSteps.push({ fn: this.layout.text });
      const outputs = this.engine.render(textSteps, context, { ...data, subject, preheader }, this.partials);
      text = multiLine(outputs.at(-1)!);
    }
    const links = linksPresent(state.links.links, [subject, preheader, html, text]);
    return { channel: 'email', subject, preheader, html, text, links, template: this.used };
  }

  /** The text part {@link htmlToText} derives from `html`, from memory when the HTML was rendered lately. */
  private textOf(html: string): string {
    let text = this.derivedTexts.get(html);
    if (text === undefined) {
      text = htmlToText(html);
      if (this.derivedTexts.size >= DERIVED_TEXTS) this.derivedTexts.delete(this.derivedTexts.keys().next().value!);
      this.derivedTexts.set(html, text);
    }
    return text;
  }
}

function mapByLocale(files: readonly SourceFile[]): Map<string, SourceFile> {
  return new Map(files.map((file) => [file.locale ?? DEFAULT_VARIANT, file]));
}
