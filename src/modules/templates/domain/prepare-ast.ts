import { HELPER_NAMES } from './helper-specs';
import { EscapeMode } from './template-layout';
import { Call, Expression, PathExpression, Position, Program, Statement } from './template-ast';

/**
 * Rewrites of a parsed template before it is compiled for one escape mode, and position shifts for
 * templates embedded in JSON files. Plain tree edits: the engine wrapper compiles the result.
 */

/** Name of the helper deep-link parts route `{{ }}` output through; templates cannot call it. */
export const URL_ENCODE_HELPER = '__jc_url';

/** Name of the helper `truncate` of an HTML field (`copy.introHtml`) is routed to; templates cannot call it. */
export const TRUNCATE_HTML_HELPER = '__jc_truncate_html';

/** Fields whose names end in `Html` (`copy.introHtml`) hold HTML, not text. */
const HTML_FIELD = /Html$/;

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

/** Routes every `truncate` of an HTML field, wherever it is called, to the helper that cuts HTML. */
function truncateHtmlFields(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(truncateHtmlFields);
  if (node === null || typeof node !== 'object') return;
  const call = node as Partial<Call>;
  const [text] = call.params ?? [];
  if (
    call.path?.type === 'PathExpression' &&
    call.path.original === 'truncate' &&
    text?.type === 'PathExpression' &&
    HTML_FIELD.test(text.parts[text.parts.length - 1] ?? '')
  ) {
    call.path = { ...call.path, parts: [TRUNCATE_HTML_HELPER], original: TRUNCATE_HTML_HELPER };
  }
  Object.values(node).forEach(truncateHtmlFields);
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
