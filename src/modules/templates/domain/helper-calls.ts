import { suggestion } from './context-shape';
import { HELPER_NAMES, HELPER_SPECS } from './helper-specs';
import { Call, PathExpression, SourceLocation } from './template-ast';

/** How a helper is called: `{{helper}}`, `{{#helper}}...{{/helper}}` or `(helper)` inside another call. */
export type CallKind = 'mustache' | 'block' | 'subexpression';

export interface CallProblem {
  loc: SourceLocation | undefined;
  message: string;
}

/** Whether a path names a helper (a bare name such as `date`, never `this.date` or `@date`). */
export function isHelperName(path: PathExpression): boolean {
  const bare = !path.data && path.depth === 0 && path.parts.length === 1 && path.original === path.parts[0];
  return bare && HELPER_NAMES.has(path.parts[0]);
}

/** The literal style of a call: its second positional argument or its `style` option, when a string. */
function styleArgument(call: Call): string | undefined {
  const literal = call.params[1] ?? call.hash?.pairs.find((pair) => pair.key === 'style')?.value;
  return literal?.type === 'StringLiteral' ? String(literal.value) : undefined;
}

/**
 * Checks a call against HELPER_SPECS: a known helper, used as a block exactly when it is one, with the
 * right number of arguments, known options, required options and a known literal style.
 */
export function checkHelperCall(call: Call, kind: CallKind): { helper?: string; problems: CallProblem[] } {
  const name = call.path.type === 'PathExpression' && isHelperName(call.path) ? call.path.original : undefined;
  if (name === undefined) {
    const shown = call.path.type === 'PathExpression' ? call.path.original : String(call.path.type);
    const close = suggestion(shown, [...HELPER_NAMES]);
    const hint = close ? ` (did you mean "${close}"?)` : '';
    const message = `unknown ${kind === 'block' ? 'block ' : ''}helper "${shown}"${hint}`;
    return { problems: [{ loc: call.path.loc, message }] };
  }
  const spec = HELPER_SPECS[name];
  if (kind === 'block' && !spec.block) {
    return { helper: name, problems: [{ loc: call.loc, message: `${name} is not a block helper` }] };
  }
  if (kind !== 'block' && spec.block) {
    return {
      helper: name,
      problems: [{ loc: call.loc, message: `${name} needs a block: {{#${name} ...}}...{{/${name}}}` }],
    };
  }
  const problems: CallProblem[] = [];
  const [min, max] = spec.params;
  if (call.params.length < min || call.params.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    problems.push({ loc: call.loc, message: `${name} takes ${expected} argument(s), got ${call.params.length}` });
  }
  const pairs = call.hash?.pairs ?? [];
  for (const pair of pairs) {
    if (!spec.hash?.includes(pair.key)) {
      problems.push({ loc: pair.loc, message: `${name} has no option "${pair.key}"` });
    }
  }
  for (const required of spec.required ?? []) {
    if (!pairs.some((pair) => pair.key === required)) {
      problems.push({ loc: call.hash?.loc, message: `${name} needs the option ${required}="..."` });
    }
  }
  const style = styleArgument(call);
  if (spec.styles && style !== undefined && !spec.styles.includes(style)) {
    problems.push({ loc: call.loc, message: `${name} has no style "${style}" (one of ${spec.styles.join(', ')})` });
  }
  const needed = style === undefined ? undefined : spec.styleNeeds?.[style];
  if (needed && !pairs.some((pair) => pair.key === needed)) {
    problems.push({ loc: call.loc, message: `${name} style "${style}" needs the option ${needed}="..."` });
  }
  for (const { at, problem } of spec.literals ?? []) {
    const argument = typeof at === 'number' ? call.params[at] : pairs.find((pair) => pair.key === at)?.value;
    if (argument?.type !== 'StringLiteral' && argument?.type !== 'NumberLiteral') continue;
    const found = problem(argument.value);
    if (found) problems.push({ loc: argument.loc, message: `${name}: ${found}` });
  }
  return { helper: name, problems };
}
