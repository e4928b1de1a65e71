import { ContextShape, TemplateProblem } from '../template.types';
import { describeShape, elementShape, resolvePath, suggestion } from './context-shape';
import { CallKind, checkHelperCall, isHelperName } from './helper-calls';
import {
  BlockStatement,
  Call,
  Expression,
  PartialStatement,
  PathExpression,
  Program,
  SourceLocation,
  Statement,
} from './template-ast';

/** A parsed template file; `file` is relative to the templates folder. */
export interface ParsedFile {
  file: string;
  ast: Program;
}

export interface InspectEnvironment {
  ref: string;
  /** Every variant (default and locales) of a partial; empty when there is no such partial. */
  partial(name: string): readonly ParsedFile[];
  /** Data variables this file may use besides the built-in ones; `raw` ones must be inserted with `{{{ }}}`. */
  dataVariables?: ReadonlyMap<string, 'raw' | 'any'>;
}

/** What a file uses, for the checks that span files (a layout must insert `@content`, an email needs an unsubscribe link). */
export interface Uses {
  helpers: Set<string>;
  partials: Set<string>;
  data: Set<string>;
}

/** Data variables every template has: the render's locale, text direction and time zone, and the root context. */
const BUILT_IN_DATA = new Set(['root', 'locale', 'dir', 'timeZone']);
const EACH_DATA = new Set(['index', 'first', 'last', 'key']);

/** Where a statement sits: the context stack (`../` climbs it), block parameters and `#each` nesting. */
interface Scope {
  file: string;
  /** Index 0 is the root; undefined shapes are not checked (no shape given, or unknown). */
  contexts: ReadonlyArray<ContextShape | undefined>;
  locals: ReadonlyMap<string, ContextShape | undefined>;
  inEach: boolean;
  partials: readonly string[];
}

/**
 * Walks a parsed template and reports every mistake with its file, line and column: unknown helpers,
 * partials and data variables, helper calls with the wrong arguments, unsupported syntax and, when a
 * context shape is given, every variable the shape does not provide, following `#each`/`#with`
 * scopes, `this`, `../`, block parameters and partial contexts.
 */
export function inspectTemplate(
  parsed: ParsedFile,
  root: ContextShape | undefined,
  env: InspectEnvironment,
): { problems: TemplateProblem[]; uses: Uses } {
  const inspector = new Inspector(env);
  inspector.program(parsed.ast, {
    file: parsed.file,
    contexts: [root],
    locals: new Map(),
    inEach: false,
    partials: [],
  });
  return { problems: inspector.problems, uses: inspector.uses };
}

class Inspector {
  readonly problems: TemplateProblem[] = [];
  readonly uses: Uses = { helpers: new Set(), partials: new Set(), data: new Set() };
  private readonly seen = new Set<string>();

  constructor(private readonly env: InspectEnvironment) {}

  program(program: Program | undefined, scope: Scope): void {
    for (const statement of program?.body ?? []) this.statement(statement, scope);
  }

  private report(scope: Scope, loc: SourceLocation | undefined, message: string, variable?: string): void {
    const line = loc?.start.line ?? 1;
    const column = (loc?.start.column ?? 0) + 1;
    const key = `${scope.file}:${line}:${column}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const problem: TemplateProblem = { ref: this.env.ref, file: scope.file, line, column, message };
    if (variable !== undefined) problem.variable = variable;
    this.problems.push(problem);
  }

  private statement(statement: Statement, scope: Scope): void {
    switch (statement.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'Decorator':
      case 'DecoratorBlock':
        return this.report(scope, statement.loc, 'decorators ({{* }}) are not supported');
      case 'PartialStatement':
      case 'PartialBlockStatement':
        return this.partial(statement, scope);
      case 'BlockStatement':
        return this.block(statement, scope);
      case 'MustacheStatement': {
        const { path } = statement;
        const bare = statement.params.length === 0 && !statement.hash;
        if (bare && !(path.type === 'PathExpression' && isHelperName(path))) {
          const shape = this.expression(path, scope);
          this.checkPrinted(path, shape, statement.escaped, scope);
        } else {
          this.call(statement, 'mustache', scope);
        }
        return;
      }
    }
  }

  /** A printed variable must be a value: an object prints "[object Object]", a list its items run together. */
  private checkPrinted(path: Expression, shape: ContextShape | undefined, escaped: boolean, scope: Scope): void {
    if (path.type !== 'PathExpression') return;
    if (path.data && escaped && this.env.dataVariables?.get(path.parts[0]) === 'raw') {
      this.report(scope, path.loc, `insert @${path.parts[0]} with {{{@${path.parts[0]}}}} so its HTML is kept`);
    }
    if (shape !== undefined && shape !== 'value' && shape !== '*') {
      const hint = Array.isArray(shape) ? 'use {{join ...}} or {{#each ...}}' : 'print one of its fields';
      this.report(scope, path.loc, `${path.original} is ${describeShape(shape)}: ${hint}`, path.original);
    }
  }

  /** Checks a helper call's name and arguments, and the variables among them. */
  private call(call: Call, kind: CallKind, scope: Scope): void {
    for (const param of call.params) this.expression(param, scope);
    for (const pair of call.hash?.pairs ?? []) this.expression(pair.value, scope);
    const { helper, problems } = checkHelperCall(call, kind);
    if (helper) this.uses.helpers.add(helper);
    for (const { loc, message } of problems) this.report(scope, loc, message);
  }

  private block(block: BlockStatement, scope: Scope): void {
    this.call(block, 'block', scope);
    const name = block.path.type === 'PathExpression' ? block.path.original : '';
    const [first] = block.params;
    const param = first ? this.expression(first, scope) : undefined;
    const params = block.program?.blockParams ?? [];
    let inner = scope;
    if (name === 'each' && first) {
      const element = param === undefined ? undefined : elementShape(param);
      if (element && 'problem' in element) this.report(scope, first.loc, `${expressionText(first)} ${element.problem}`);
      const shape = element && 'shape' in element ? element.shape : undefined;
      const locals = new Map(scope.locals);
      if (params[0]) locals.set(params[0], shape);
      if (params[1]) locals.set(params[1], 'value');
      inner = { ...scope, contexts: [...scope.contexts, shape], locals, inEach: true };
    } else if (name === 'with' && first) {
      const locals = new Map(scope.locals);
      if (params[0]) locals.set(params[0], param);
      inner = { ...scope, contexts: [...scope.contexts, param], locals };
    }
    this.program(block.program, inner);
    this.program(block.inverse, scope);
  }

  /** The shape an expression evaluates to, when known; reports unknown variables on the way. */
  private expression(expression: Expression, scope: Scope): ContextShape | undefined {
    if (expression.type === 'SubExpression') {
      this.call(expression, 'subexpression', scope);
      return '*';
    }
    if (expression.type !== 'PathExpression') return 'value';
    return expression.data ? this.dataVariable(expression, scope) : this.variable(expression, scope);
  }

  private dataVariable(path: PathExpression, scope: Scope): ContextShape | undefined {
    const [name, ...rest] = path.parts;
    this.uses.data.add(name);
    if (name === 'root') return this.resolve(scope.contexts[0], rest, path, scope, []);
    if (EACH_DATA.has(name)) {
      if (!scope.inEach) this.report(scope, path.loc, `@${name} only exists inside {{#each}}`, path.original);
      return 'value';
    }
    if (BUILT_IN_DATA.has(name) || this.env.dataVariables?.has(name)) return 'value';
    const known = [...BUILT_IN_DATA, ...(this.env.dataVariables?.keys() ?? []), ...(scope.inEach ? EACH_DATA : [])];
    const close = suggestion(name, known);
    const hint = close ? ` (did you mean "@${close}"?)` : '';
    this.report(scope, path.loc, `unknown data variable "@${name}"${hint}`, path.original);
    return undefined;
  }

  private variable(path: PathExpression, scope: Scope): ContextShape | undefined {
    const index = scope.contexts.length - 1 - path.depth;
    if (index < 0) {
      this.report(scope, path.loc, `${path.original} climbs above the root context`, path.original);
      return undefined;
    }
    const [head, ...rest] = path.parts;
    if (path.depth === 0 && head !== undefined && scope.locals.has(head)) {
      return this.resolve(scope.locals.get(head), rest, path, scope, [head]);
    }
    return this.resolve(scope.contexts[index], path.parts, path, scope, []);
  }

  private resolve(
    shape: ContextShape | undefined,
    parts: readonly string[],
    path: PathExpression,
    scope: Scope,
    prefix: string[],
  ): ContextShape | undefined {
    if (shape === undefined) return undefined;
    const resolution = resolvePath(shape, parts, prefix);
    if ('shape' in resolution) return resolution.shape;
    this.report(scope, path.loc, `unknown variable "${path.original}": ${resolution.problem}`, path.original);
    return undefined;
  }

  private partial(statement: PartialStatement, scope: Scope): void {
    if (statement.type === 'PartialBlockStatement') {
      return this.report(scope, statement.loc, 'partial blocks ({{#> }}) are not supported: use {{> name}}');
    }
    const { name: nameExpression } = statement;
    if (nameExpression.type === 'SubExpression' || (nameExpression.type === 'PathExpression' && nameExpression.data)) {
      return this.report(scope, statement.loc, 'partial names must be written out: {{> journey-list}}');
    }
    const name = nameExpression.type === 'PathExpression' ? nameExpression.original : String(nameExpression.value);
    this.uses.partials.add(name);
    if (statement.params.length > 1) this.report(scope, statement.loc, `partial ${name} takes at most one context`);
    const base = statement.params[0] ? this.expression(statement.params[0], scope) : scope.contexts.at(-1);
    const hashShapes = (statement.hash?.pairs ?? []).map((pair) => [pair.key, this.expression(pair.value, scope)]);
    const variants = this.env.partial(name);
    if (variants.length === 0) return this.report(scope, nameExpression.loc, `unknown partial "${name}"`);
    if (scope.partials.includes(name)) return; // a recursive partial: its body is being checked already
    let context = base;
    if (hashShapes.length > 0 && context !== undefined && context !== '*') {
      const fields = typeof context === 'object' && !Array.isArray(context) ? context : {};
      context = hashShapes.some(([, shape]) => shape === undefined)
        ? undefined
        : { ...(fields as Record<string, ContextShape>), ...Object.fromEntries(hashShapes) };
    }
    const changed = statement.params.length > 0 || hashShapes.length > 0;
    for (const variant of variants) {
      this.program(variant.ast, {
        ...scope,
        file: variant.file,
        contexts: changed ? [...scope.contexts, context] : scope.contexts,
        partials: [...scope.partials, name],
      });
    }
  }
}

function expressionText(expression: Expression): string {
  return expression.type === 'PathExpression' ? expression.original : expression.type;
}
