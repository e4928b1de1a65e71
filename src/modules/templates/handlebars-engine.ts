import Handlebars from 'handlebars';
import { formatDate, relativeTime } from './domain/dates';
import { percentEncode } from './domain/deep-link';
import { HELPER_NAMES } from './domain/helper-specs';
import { FormatContext } from './domain/intl';
import { LinkRecorder } from './domain/links';
import { joinList } from './domain/lists';
import { formatNumber, plural, PluralForms } from './domain/numbers';
import { EscapeMode } from './domain/template-layout';
import { HTML_FIELD, HTML_FIELD_HELPER, prepareForMode, URL_ENCODE_HELPER } from './domain/prepare-ast';
import { Program } from './domain/template-ast';
import { truncateLimit, truncateWords } from './domain/truncate';
import { truncateHtml } from './domain/truncate-html';

/**
 * The one file that imports handlebars. A private environment (`Handlebars.create()`) with only
 * Journeycast's helpers, compiled with `knownHelpersOnly` (an unknown helper never compiles) and run
 * with prototype access off. `{{ }}` escapes HTML in HTML parts, prints plain text in text parts and
 * percent-encodes in deep links; `{{{ }}}` is the explicit opt-out everywhere.
 */
export type TemplateFunction = Handlebars.TemplateDelegate;

/** What helpers of one render need: the recipient's formatting and the link recorder. */
export interface RenderState extends FormatContext {
  links: LinkRecorder;
}

/** The data frame of a render: `@locale`, `@timeZone`, layout extras (`@content`), and the helpers' state. */
export interface RenderData {
  locale: string;
  timeZone: string;
  jc: RenderState;
  [name: string]: unknown;
}

/** One template run by `render`: its output can be cleaned and published to later steps as `@<as>`. */
export interface RenderStep {
  fn: TemplateFunction;
  as?: string;
  clean?: (output: string) => string;
}

export type ParseResult = { ast: Program } | { error: { line: number; column: number; message: string } };

/** Names of the parts inside a driver template; never a valid partial name in a template folder. */
const PART_PREFIX = '__jc_part';

function stateOf(options: Handlebars.HelperOptions): RenderState {
  return (options.data as RenderData).jc;
}

/** Adapts a plain function to Handlebars' `(...args, options)` convention. */
function helper(fn: (args: unknown[], hash: Record<string, unknown>, state: RenderState) => unknown) {
  return (...all: unknown[]) => {
    const options = all.pop() as Handlebars.HelperOptions;
    return fn(all, options.hash as Record<string, unknown>, stateOf(options));
  };
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const num = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** A SafeString, or any value Handlebars prints as HTML (it has `toHTML`). */
function isSafeHtml(value: unknown): value is { toHTML(): string } {
  return typeof (value as { toHTML?: unknown } | null | undefined)?.toHTML === 'function';
}

/** The text of a field whose name ends in `Html`, on its way to `truncate`: HTML to cut as HTML. */
class HtmlField {
  constructor(readonly html: string) {}

  toString(): string {
    return this.html;
  }
}

/**
 * `truncate`: text is cut as text; HTML (a SafeString, or the value of a field whose name ends in `Html`)
 * by the characters it shows, with its open tags closed. A SafeString stays one.
 */
function truncate(env: typeof Handlebars, text: unknown, limit: unknown, locale: string): unknown {
  if (text === undefined || text === null) return '';
  const options = { locale };
  if (text instanceof HtmlField) return truncateHtml(text.html, truncateLimit(limit), options);
  if (isSafeHtml(text)) return new env.SafeString(truncateHtml(text.toHTML(), truncateLimit(limit), options));
  return truncateWords(String(text), truncateLimit(limit), options);
}

function registerHelpers(env: typeof Handlebars): void {
  env.registerHelper({
    date: helper(([value, style], hash, s) => formatDate(value, str(style) ?? str(hash.style) ?? 'medium', s)),
    relativeTime: helper(([value, style], hash, s) => relativeTime(value, str(style) ?? str(hash.style) ?? 'long', s)),
    number: helper(([value], hash, s) =>
      formatNumber(value, s.locale, {
        style: str(hash.style),
        currency: str(hash.currency),
        maximumFractionDigits: num(hash.maximumFractionDigits),
      }),
    ),
    plural: helper(([count], hash, s) => plural(count, hash as PluralForms, s.locale)),
    truncate: helper(([text, limit], _hash, s) => truncate(env, text, limit, s.locale)),
    [HTML_FIELD_HELPER]: helper(([value, name]) =>
      typeof value === 'string' && value !== '' && HTML_FIELD.test(String(name)) ? new HtmlField(value) : value,
    ),
    join: helper(([list], hash, s) =>
      joinList(list, s.locale, { type: str(hash.type), key: str(hash.key), limit: num(hash.limit) }),
    ),
    default: helper(([value, fallback]) => (value === undefined || value === null || value === '' ? fallback : value)),
    track: helper(([url], _hash, s) => s.links.click(url)),
    unsubscribeUrl: helper(([category], _hash, s) => s.links.unsubscribe(category)),
    [URL_ENCODE_HELPER]: helper(([value]) =>
      value === undefined || value === null ? '' : percentEncode(String(value)),
    ),
  });
}

const COMPILE_OPTIONS = {
  knownHelpers: Object.fromEntries([...HELPER_NAMES, URL_ENCODE_HELPER, HTML_FIELD_HELPER].map((name) => [name, true])),
  knownHelpersOnly: true,
  strict: false,
};

interface LexerState {
  lexer: { yylloc?: { first_line: number; first_column: number } };
}

export class HandlebarsEngine {
  private readonly env = Handlebars.create();
  private readonly compiled = new Map<string, TemplateFunction>();
  private readonly drivers: TemplateFunction[] = [];

  constructor() {
    registerHelpers(this.env);
  }

  /** Parses a template; a syntax error comes back with its 1-based line and 0-based column. */
  parse(source: string): ParseResult {
    try {
      return { ast: this.env.parse(source) as unknown as Program };
    } catch (error) {
      const e = error as Error & { lineNumber?: number; column?: number };
      if (e.lineNumber !== undefined) {
        return { error: { line: e.lineNumber, column: e.column ?? 0, message: e.message.replace(/ - \d+:\d+$/, '') } };
      }
      // The generated parser only prints the position; its lexer still holds the failing token's location.
      const location = (Handlebars as unknown as { Parser: LexerState }).Parser.lexer.yylloc;
      const [first, , , last] = e.message.split('\n');
      const message = `${first.replace(/ on line \d+:$/, '')}: ${last ?? ''}`.trim();
      return { error: { line: location?.first_line ?? 1, column: location?.first_column ?? 0, message } };
    }
  }

  /**
   * The compiled function of a parsed file for an escape mode, built once per content `key`. Partial
   * names are prefixed with the mode (`html:footer`), so each part calls partials compiled like itself.
   */
  compile(ast: Program, mode: EscapeMode, key: string): TemplateFunction {
    const cacheKey = `${mode}:${key}`;
    let fn = this.compiled.get(cacheKey);
    if (!fn) {
      const input = prepareForMode(structuredClone(ast), mode);
      fn = this.env.compile(input as unknown as hbs.AST.Program, { ...COMPILE_OPTIONS, noEscape: mode !== 'html' });
      this.compiled.set(cacheKey, fn);
    }
    return fn;
  }

  /**
   * Runs several compiled parts against one context and returns their outputs in order. They run as
   * partials of one small driver template, so Handlebars sets up helpers and prototype-access rules
   * once per message instead of once per part; prototype properties and methods stay out of reach.
   * A step with `as` publishes its (cleaned) output as a data variable to the steps after it, which
   * is how a layout receives `@content`.
   */
  render(
    steps: readonly RenderStep[],
    context: unknown,
    data: RenderData,
    partials: Readonly<Record<string, TemplateFunction>>,
  ): string[] {
    const outputs = new Array<string>(steps.length);
    const all: Record<string, TemplateFunction> = { ...partials };
    steps.forEach(({ fn, as, clean }, i) => {
      all[`${PART_PREFIX}${i}`] = ((ctx: unknown, options: Handlebars.RuntimeOptions) => {
        outputs[i] = clean ? clean(fn(ctx, options)) : fn(ctx, options);
        // Every step shares the driver's data frame, so later steps read this as @<as>.
        if (as) (options.data as Record<string, unknown>)[as] = outputs[i];
        return '';
      }) as TemplateFunction;
    });
    this.driver(steps.length)(context, {
      data: { root: context, ...data },
      partials: all,
      allowProtoPropertiesByDefault: false,
      allowProtoMethodsByDefault: false,
    });
    return outputs;
  }

  /** Forgets compiled functions (development reloads). */
  clear(): void {
    this.compiled.clear();
  }

  private driver(count: number): TemplateFunction {
    let driver = this.drivers[count];
    if (!driver) {
      const source = Array.from({ length: count }, (_, i) => `{{> ${PART_PREFIX}${i}}}`).join('');
      driver = this.drivers[count] = this.env.compile(source, COMPILE_OPTIONS);
    }
    return driver;
  }
}
