import { Inject, Injectable, Logger } from '@nestjs/common';
import { CompiledTemplate } from './compiled-template';
import { withoutBidiControls } from './domain/bidi-controls';
import { checkTemplate, CheckResult } from './domain/check-template';
import { isTimeZone } from './domain/intl';
import { LinkRecorder, randomLinkNonce, resolveMessageLinks } from './domain/links';
import { canonicalLocale } from './domain/locale-chain';
import { formatProblems, TemplateError } from './domain/templates.errors';
import { HandlebarsEngine } from './handlebars-engine';
import { TemplateCatalog } from './template-catalog';
import {
  ContextShape,
  LinkResolver,
  PushLimits,
  RenderedEmail,
  RenderedMessage,
  RenderedPush,
  RenderOptions,
  TemplateChannel,
  TemplateProblem,
  TemplateRef,
  TemplateSummary,
  TemplateUsed,
} from './template.types';

export const TEMPLATES_OPTIONS = Symbol('TEMPLATES_OPTIONS');

export interface TemplatesOptions {
  /** Absolute path of the templates folder. */
  dir: string;
  pushLimits: PushLimits;
  /** Why a tracked link may not lead to `url` (TRACKING_LINK_HOSTS), or undefined; every URL by default. */
  linkDestinationProblem?: (url: string) => string | undefined;
  /** Source of the per-render link nonce; random by default (tests may pin it). */
  nonce?: () => string;
}

interface Loaded {
  check: CheckResult;
  /** Compiled variants by canonical recipient locale. */
  compiled: Map<string, CompiledTemplate>;
}

/**
 * Renders the Handlebars templates of the templates folder for one recipient, checks templates
 * against a render context's shape, and resolves link placeholders. Templates are read, checked and
 * compiled once per content and recipient locale; `render` is synchronous and, warm, a few cached calls.
 */
@Injectable()
export class TemplatesService {
  private readonly logger = new Logger(TemplatesService.name);
  private readonly engine = new HandlebarsEngine();
  private readonly catalog: TemplateCatalog;
  private readonly loaded = new Map<TemplateRef, Loaded>();
  private readonly nonce: () => string;

  constructor(@Inject(TEMPLATES_OPTIONS) private readonly options: TemplatesOptions) {
    this.catalog = new TemplateCatalog(options.dir, this.engine);
    this.nonce = options.nonce ?? randomLinkNonce;
  }

  /** The templates folder this service reads. */
  get dir(): string {
    return this.options.dir;
  }

  /** The configured push limits: a render may ask for tighter ones, never looser. */
  get pushLimitsAllowed(): PushLimits {
    return { ...this.options.pushLimits };
  }

  render(ref: TemplateRef, channel: 'push', context: unknown, options: RenderOptions): RenderedPush;
  render(ref: TemplateRef, channel: 'email', context: unknown, options: RenderOptions): RenderedEmail;
  render(ref: TemplateRef, channel: TemplateChannel, context: unknown, options: RenderOptions): RenderedMessage;
  /**
   * Renders template `ref` for one recipient, its values printed without bidi controls. Throws a
   * TemplateError: `templates.not-found`, `templates.invalid` (with every problem),
   * `templates.invalid-option` (locale, time zone, limits), a value error from a helper
   * (`templates.invalid-value`, `templates.invalid-link`, also for a tracked URL whose host is not allowed), or, for a push, `templates.payload-too-large`
   * or `templates.empty-push` (its title and body both render empty).
   */
  render(ref: TemplateRef, channel: TemplateChannel, context: unknown, options: RenderOptions): RenderedMessage {
    const locale = this.recipientLocale(options.locale);
    if (typeof options.timeZone !== 'string' || !isTimeZone(options.timeZone)) {
      throw new TemplateError(
        'templates.invalid-option',
        `unknown time zone ${JSON.stringify(options.timeZone)}`,
        'timeZone',
      );
    }
    const template = this.compiled(ref, channel, locale);
    const state = {
      locale: template.formatLocale,
      timeZone: options.timeZone,
      now: options.now ?? new Date(),
      links: new LinkRecorder(options.linkNonce ?? this.nonce(), this.options.linkDestinationProblem),
    };
    // Every value is printed without bidi controls: one in a profile attribute could reorder the message.
    const values = withoutBidiControls(context);
    if (channel === 'email') return template.renderEmail(values, state);
    return template.renderPush(values, state, this.pushLimits(options.pushLimits));
  }

  /**
   * The locale the text of template `ref` is written in for a recipient of `locale`: theirs when the
   * template has their language, else the template's own (`locale` in template.json). Copy written for
   * the message in this locale reads in one language with the rest of it.
   */
  textLocale(ref: TemplateRef, channel: TemplateChannel, locale: string): string {
    return this.compiled(ref, channel, this.recipientLocale(locale)).formatLocale;
  }

  /**
   * The locale a message rendered as `used` is written in: its variant's, or for the default files the
   * template's own (`locale` in template.json); undefined when the template is no longer in the folder.
   */
  writtenIn(used: Pick<TemplateUsed, 'ref' | 'locale'>): string | undefined {
    if (used.locale !== 'default') return used.locale;
    try {
      return this.catalog.template(used.ref).meta.locale;
    } catch (error) {
      if (error instanceof TemplateError) return undefined;
      throw error;
    }
  }

  /**
   * Every problem of template `ref` for a render context of this shape: unknown variables, helpers
   * and partials, syntax errors and missing parts, each with its file, line and column. Empty when
   * the template is sound.
   */
  check(ref: TemplateRef, channel: TemplateChannel, shape: ContextShape): TemplateProblem[] {
    const source = this.catalog.template(ref);
    if (source.channel !== channel) {
      return [
        { ref, file: ref, line: 1, column: 1, message: `${ref} is a ${source.channel} template, not ${channel}` },
      ];
    }
    return checkTemplate(source, shape, this.catalog.sharedFiles()).problems;
  }

  /** Every template of the folder with its channel and locales. */
  list(): TemplateSummary[] {
    return this.catalog.list();
  }

  /** The message with each link placeholder replaced by `resolver(link)` (HTML-escaped in HTML). */
  resolveLinks<M extends RenderedMessage>(message: M, resolver: LinkResolver): M {
    return resolveMessageLinks(message, resolver);
  }

  /** Forgets everything read and compiled, so edited templates are read again (development). */
  reload(): void {
    this.loaded.clear();
    this.catalog.clear();
    this.engine.clear();
    this.logger.log(`templates reloaded from ${this.options.dir}`);
  }

  private compiled(ref: TemplateRef, channel: TemplateChannel, locale: string): CompiledTemplate {
    let loaded = this.loaded.get(ref);
    if (!loaded) {
      const source = this.catalog.template(ref);
      const check = checkTemplate(source, undefined, this.catalog.sharedFiles());
      loaded = { check, compiled: new Map() };
      this.loaded.set(ref, loaded);
      if (check.problems.length > 0) this.logger.warn(`template ${ref} is invalid:\n${formatProblems(check.problems)}`);
    }
    const source = this.catalog.template(ref);
    if (source.channel !== channel) {
      throw new TemplateError(
        'templates.not-found',
        `${ref} is a ${source.channel} template, not ${channel}`,
        'channel',
      );
    }
    if (loaded.check.problems.length > 0) {
      const { problems } = loaded.check;
      throw new TemplateError(
        'templates.invalid',
        `template ${ref} is invalid:\n${formatProblems(problems)}`,
        'ref',
        problems,
      );
    }
    let compiled = loaded.compiled.get(locale);
    if (!compiled) {
      compiled = new CompiledTemplate(this.engine, source, loaded.check, this.catalog.sharedFiles(), locale);
      loaded.compiled.set(locale, compiled);
    }
    return compiled;
  }

  private recipientLocale(raw: unknown): string {
    const locale = typeof raw === 'string' ? canonicalLocale(raw) : undefined;
    if (!locale) throw new TemplateError('templates.invalid-option', `not a locale: ${JSON.stringify(raw)}`, 'locale');
    return locale;
  }

  private pushLimits(overrides: Partial<PushLimits> = {}): PushLimits {
    const limits = { ...this.options.pushLimits };
    for (const [key, value] of Object.entries(overrides) as Array<[keyof PushLimits, number | undefined]>) {
      if (value === undefined) continue;
      if (!Number.isInteger(value) || value < 1 || value > this.options.pushLimits[key]) {
        const message = `pushLimits.${key} must be an integer from 1 to the configured ${this.options.pushLimits[key]}`;
        throw new TemplateError('templates.invalid-option', message, `pushLimits.${key}`);
      }
      limits[key] = value;
    }
    return limits;
  }
}
