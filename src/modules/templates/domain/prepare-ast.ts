import { HELPER_NAMES } from './helper-specs';
import { EscapeMode } from './template-layout';
import { Call, Expression, PathExpression, Position, Program, Statement, SubExpression } from './template-ast';

/**
 * Rewrites of a parsed template before it is compiled for one escape mode, and position shifts for
 * templates embedded in JSON files. Plain tree edits: the engine wrapper compiles the result.
 */

/** Name of the helper deep-link parts route `{{ }}` output through; templates cannot call it. */
export const URL_ENCODE_HELPER = '__jc_url';

/**
 * Name of the helper that marks the value of an HTML field (`copy.introHtml`) on its way to `truncate`,
 * so it is cut as HTML; templates cannot call it.
 */
export const HTML_FIELD_HELPER = '__jc_html';

/** Fields whose names end in `Html` (`copy.introHtml`) hold HTML, not text. */
export const HTML_FIELD = /Html$/;

/** The key a part compiled in `mode` calls partial `name` by (`html:footer`). */
export function partialKey(mode: EscapeMode, name: string): string {
  return `${mode}:${name}`;
}

/**
 * Readies a parsed file for compiling in `mode`: partial names get the mode prefix and, in deep links,
 * every escaped `{{ }}` goes through the percent-encoding helper.
 */
export function prepareForMode(program: Program, mode: EscapeMode): Program {
  truncateHtmlFields(program);
  program.body = program.body.map((statement) => prepareStatement(statement, mode));
  return program;
}

function prepareStatement(statement: Statement, mode: EscapeMode): Statement {
  if (statement.type === 'BlockStatement') {
    if (statement.program) prepareForMode(statement.program, mode);
    if (statement.inverse) prepareForMode(statement.inverse, mode);
    return statement;
  }
  if (statement.type === 'PartialStatement' && statement.name.type === 'PathExpression') {
    return {
      ...statement,
      name: { ...statement.name, original: partialKey(mode, statement.name.original) },
    };
  }
  if (mode !== 'url' || statement.type !== 'MustacheStatement' || !statement.escaped) return statement;
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
    parts: [URL_ENCODE_HELPER],
    original: URL_ENCODE_HELPER,
    loc,
  };
  return { ...statement, path, params: [value], hash: undefined, escaped: false };
}

/**
 * Marks, in the text of every `truncate`, the values that come from an HTML field: the field itself
 * (`copy.introHtml`), and through `default` and `lookup` (`(default copy.introHtml copy.intro)`,
 * `(lookup copy "introHtml")`, `(lookup copy key)`), whose value is only known at render time.
 */
function truncateHtmlFields(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(truncateHtmlFields);
  if (node === null || typeof node !== 'object') return;
  const call = node as Partial<Call>;
  if (call.path?.type === 'PathExpression' && call.path.original === 'truncate' && call.params?.length) {
    call.params[0] = markHtmlFields(call.params[0]);
  }
  Object.values(node).forEach(truncateHtmlFields);
}

function markHtmlFields(value: Expression): Expression {
  if (value.type === 'PathExpression') {
    const name = value.parts[value.parts.length - 1] ?? '';
    if (!HTML_FIELD.test(name)) return value;
    return htmlFieldCall(value, { type: 'StringLiteral', value: name, original: name, loc: value.loc });
  }
  if (value.type !== 'SubExpression' || value.path.type !== 'PathExpression') return value;
  if (value.path.original === 'default') return { ...value, params: value.params.map(markHtmlFields) };
  if (value.path.original === 'lookup' && value.params.length === 2) return htmlFieldCall(value, value.params[1]);
  return value;
}

/** `(__jc_html value name)`: the value, marked as HTML when it is text and `name` ends in `Html`. */
function htmlFieldCall(value: Expression, name: Expression): SubExpression {
  const path: PathExpression = {
    type: 'PathExpression',
    data: false,
    depth: 0,
    parts: [HTML_FIELD_HELPER],
    original: HTML_FIELD_HELPER,
    loc: value.loc,
  };
  return { type: 'SubExpression', path, params: [value, name], loc: value.loc };
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
