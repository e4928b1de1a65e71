import Handlebars from 'handlebars';
import { formatDate, relativeTime } from './domain/dates';
import { HELPER_NAMES } from './domain/helper-specs';
import { FormatContext } from './domain/intl';
import { LinkRecorder } from './domain/links';
import { joinList } from './domain/lists';
import { formatNumber, plural, PluralForms } from './domain/numbers';
import { EscapeMode } from './domain/template-layout';
import { Call, Expression, PathExpression, Position, Program, Statement } from './domain/template-ast';
import { truncateWords } from './domain/truncate';

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

export type ParseResult = { ast: Program } | { error: { line: number; column: number; message: string } };

/** Name of the internal helper deep-link parts route `{{ }}` output through; not callable from templates. */
const URL_HELPER = '__jc_url';

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
    truncate: helper(([text, limit], _hash, s) =>
      text === undefined || text === null ? '' : truncateWords(String(text), Number(limit), { locale: s.locale }),
    ),
    join: helper(([list], hash, s) =>
      joinList(list, s.locale, { type: str(hash.type), key: str(hash.key), limit: num(hash.limit) }),
    ),
    default: helper(([value, fallback]) => (value === undefined || value === null || value === '' ? fallback : value)),
    track: helper(([url], _hash, s) => s.links.click(url)),
    unsubscribeUrl: helper(([category], _hash, s) => s.links.unsubscribe(category)),
    [URL_HELPER]: helper(([value]) => (value === undefined || value === null ? '' : encodeURIComponent(String(value)))),
  });
}

const COMPILE_OPTIONS = {
  knownHelpers: Object.fromEntries([...HELPER_NAMES, URL_HELPER].map((name) => [name, true])),
  knownHelpersOnly: true,
  strict: false,
};

interface LexerState {
  lexer: { yylloc?: { first_line: number; first_column: number } };
}

export class HandlebarsEngine {
  private readonly env = Handlebars.create();
  private readonly compiled = new Map<string, TemplateFunction>();

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

  /** The compiled function of a parsed file for an escape mode, built once per content `key`. */
  compile(ast: Program, mode: EscapeMode, key: string): TemplateFunction {
    const cacheKey = `${mode}:${key}`;
    let fn = this.compiled.get(cacheKey);
    if (!fn) {
      const input = mode === 'url' ? encodeOutputs(structuredClone(ast)) : ast;
      fn = this.env.compile(input as unknown as hbs.AST.Program, { ...COMPILE_OPTIONS, noEscape: mode !== 'html' });
      this.compiled.set(cacheKey, fn);
    }
    return fn;
  }

  /** Runs a compiled template; prototype properties and methods of the context stay out of reach. */
  run(fn: TemplateFunction, context: unknown, data: RenderData, partials: Record<string, TemplateFunction>): string {
    return fn(context, {
      data: { root: context, ...data },
      partials,
      allowProtoPropertiesByDefault: false,
      allowProtoMethodsByDefault: false,
    });
  }

  /** Forgets compiled functions (development reloads). */
  clear(): void {
    this.compiled.clear();
  }
}

/** Rewrites every escaped `{{ }}` of a deep link to go through the percent-encoding helper. */
function encodeOutputs(program: Program): Program {
  program.body = program.body.map((statement) => encodeStatement(statement));
  return program;
}

function encodeStatement(statement: Statement): Statement {
  if (statement.type === 'BlockStatement') {
    if (statement.program) encodeOutputs(statement.program);
    if (statement.inverse) encodeOutputs(statement.inverse);
    return statement;
  }
  if (statement.type !== 'MustacheStatement' || !statement.escaped) return statement;
  const { loc } = statement;
  const isCall =
    statement.params.length > 0 ||
    statement.hash !== undefined ||
    (statement.path.type === 'PathExpression' && HELPER_NAMES.has(statement.path.original));
  const value: Expression = isCall ? { ...(statement as Call), type: 'SubExpression' } : statement.path;
  const path: PathExpression = {
    type: 'PathExpression',
    data: false,
    depth: 0,
    parts: [URL_HELPER],
    original: URL_HELPER,
    loc,
  };
  return { ...statement, path, params: [value], hash: undefined, escaped: false };
}

/** Moves every location in a parsed tree by `offset` (a template embedded at a line and column of a JSON file). */
export function shiftLocations(node: unknown, offset: Position): void {
  if (Array.isArray(node)) return node.forEach((child) => shiftLocations(child, offset));
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' && value && typeof value === 'object') {
      for (const position of [(value as { start: Position }).start, (value as { end: Position }).end]) {
        if (position.line === 1) position.column += offset.column;
        position.line += offset.line - 1;
      }
    } else shiftLocations(value, offset);
  }
}
