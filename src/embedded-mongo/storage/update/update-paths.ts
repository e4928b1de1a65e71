import { ErrorCode, ServerError, badValue } from '../../errors';
import { isPlainObject, own } from '../bson-values';
import { Doc } from '../documents';
import { FilterOptions, Matcher, compileFilter } from '../filter/compile-filter';
import { positionalIndex } from '../filter/positional';

/** One operator applied to one path of an update (`$rename` has a second path, `to`). */
export interface UpdateEntry {
  op: string;
  path: string[];
  value: unknown;
  to?: string[];
}

const IDENTIFIER = /^[a-z][a-zA-Z0-9]*$/;

export function isPositional(part: string): boolean {
  return part === '$' || (part.startsWith('$[') && part.endsWith(']'));
}

function splitPath(op: string, path: string, inserting: boolean): string[] {
  const parts = path.split('.');
  if (parts.some((p) => p.length === 0)) {
    throw new ServerError(
      ErrorCode.EmptyFieldName,
      `The update path '${path}' contains an empty field name, which is not allowed.`,
    );
  }
  // A '$'-prefixed field name is data (MongoDB 5.0+), except at the top level of an existing document.
  if (parts[0].startsWith('$') && !isPositional(parts[0]) && !inserting) {
    throw new ServerError(
      ErrorCode.DollarPrefixedFieldName,
      `The dollar ($) prefixed field '${parts[0]}' in '${path}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
    );
  }
  if (isPositional(parts[0])) {
    throw badValue(`Cannot have positional (i.e. '$') element in the first position in path '${path}'`);
  }
  if (parts.filter((p) => p === '$').length > 1) {
    throw badValue(`Too many positional (i.e. '$') elements found in path '${path}'`);
  }
  if (op === '$rename' && parts.some(isPositional)) {
    throw badValue(`The source field for $rename may not be dynamic: ${path}`);
  }
  return parts;
}

const startsWith = (a: string[], b: string[]) => b.length <= a.length && b.every((p, i) => p === a[i]);

/** Two paths conflict when one is a prefix of the other (MongoDB's ConflictingUpdateOperators). */
export function checkConflicts(paths: string[][], runtime = false): void {
  const sorted = [...paths].sort((x, y) => (x.join('.') < y.join('.') ? -1 : 1));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const [a, b] = sorted[i].length <= sorted[j].length ? [sorted[i], sorted[j]] : [sorted[j], sorted[i]];
      if (!startsWith(b, a)) continue;
      throw new ServerError(
        ErrorCode.ConflictingUpdateOperators,
        runtime
          ? `Update created a conflict at '${b.join('.')}'`
          : `Updating the path '${b.join('.')}' would create a conflict at '${a.join('.')}'`,
      );
    }
  }
}

/** Splits an operator update into entries, validating paths and conflicts before anything changes. */
export function updateEntries(u: Doc, inserting: boolean): UpdateEntry[] {
  const entries: UpdateEntry[] = [];
  for (const [op, args] of Object.entries(u)) {
    if (!isPlainObject(args)) {
      throw new ServerError(
        ErrorCode.FailedToParse,
        `Modifiers operate on fields but we found type ${Array.isArray(args) ? 'array' : typeof args} instead. For example: {$mod: {<field>: ...}} not {${op}: ${String(args)}}`,
      );
    }
    for (const [path, value] of Object.entries(args)) {
      const parts = splitPath(op, path, inserting || op === '$setOnInsert');
      if (op !== '$rename') {
        entries.push({ op, path: parts, value });
        continue;
      }
      if (typeof value !== 'string') {
        throw badValue(`The 'to' field for $rename must be a string: ${path}: ${String(value)}`);
      }
      const to = splitPath(op, value, inserting);
      if (startsWith(to, parts) || startsWith(parts, to)) {
        throw badValue(`The source and target field for $rename must not be on the same path: ${path}: "${value}"`);
      }
      entries.push({ op, path: parts, value, to });
    }
  }
  checkConflicts(entries.flatMap((e) => (e.to ? [e.path, e.to] : [e.path])));
  return entries;
}

/** Parsed operator updates by their operators and paths, so a write repeated with other values parses once. */
const shapes = new Map<
  string,
  { entries: Array<Omit<UpdateEntry, 'value'> & { field: string }>; positional: boolean }
>();
const MAX_SHAPES = 1000;

/** The operators, paths and `$rename` targets of an update, or undefined when its form is not the usual one. */
function shapeKey(u: Doc, inserting: boolean): string | undefined {
  let key = inserting ? 'i' : 'u';
  for (const op of Object.keys(u)) {
    const args = u[op];
    if (!isPlainObject(args)) return undefined;
    key += `\u0001${op}`;
    for (const path of Object.keys(args)) {
      const to = op === '$rename' ? args[path] : '';
      if (typeof to !== 'string') return undefined;
      key += `\u0002${path}\u0003${to}`;
    }
  }
  return key;
}

/**
 * {@link updateEntries} through a cache of update shapes, and whether any path is positional (without
 * one, each entry's path is the path written, already checked for conflicts).
 */
export function parsedUpdate(u: Doc, inserting: boolean): { entries: UpdateEntry[]; positional: boolean } {
  const key = shapeKey(u, inserting);
  let shape = key === undefined ? undefined : shapes.get(key);
  if (!shape) {
    const entries = updateEntries(u, inserting);
    const fields = Object.values(u).flatMap((args) => Object.keys(args as Doc));
    shape = {
      entries: entries.map(({ value: _value, ...entry }, i) => ({ ...entry, field: fields[i] })),
      positional: entries.some((e) => e.path.some(isPositional)),
    };
    if (key === undefined) return { entries, positional: shape.positional };
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(key, shape);
  }
  const entries: UpdateEntry[] = [];
  for (const { op, path, to, field } of shape.entries) {
    const value = (u[op] as Doc)[field];
    entries.push(to === undefined ? { op, path, value } : { op, path, value, to });
  }
  return { entries, positional: shape.positional };
}

/** Compiled `arrayFilters`, one per identifier; each remembers whether an update path used it. */
export class ArrayFilters {
  private readonly filters = new Map<string, { test: Matcher; used: boolean }>();

  constructor(raw: Doc[] | undefined, options: FilterOptions) {
    for (const filter of raw ?? []) {
      const names = new Set(identifiers(filter));
      if (names.size !== 1) {
        throw new ServerError(
          ErrorCode.FailedToParse,
          `Error parsing array filter :: caused by :: Expected a single top-level field name, found ${[...names].map((n) => `'${n}'`).join(' and ') || 'none'}`,
        );
      }
      const [name] = names;
      if (!IDENTIFIER.test(name)) {
        throw badValue(
          `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${name}'`,
        );
      }
      if (this.filters.has(name)) {
        throw new ServerError(
          ErrorCode.FailedToParse,
          `Found multiple array filters with the same top-level field name ${name}`,
        );
      }
      this.filters.set(name, { test: compileFilter(filter, options), used: false });
    }
  }

  matches(name: string, path: string, element: unknown): boolean {
    const filter = this.filters.get(name);
    if (!filter) throw badValue(`No array filter found for identifier '${name}' in path '${path}'`);
    filter.used = true;
    return filter.test({ [name]: element });
  }

  /** Every identifier an update path names must exist (checked as paths are parsed), every filter must be used. */
  checkAllUsed(entries: UpdateEntry[], u: Doc): void {
    for (const entry of entries) {
      for (const part of entry.path) {
        const name = part.startsWith('$[') && part.length > 3 ? part.slice(2, -1) : null;
        if (name && !this.filters.has(name)) {
          throw badValue(`No array filter found for identifier '${name}' in path '${entry.path.join('.')}'`);
        }
        if (name) this.filters.get(name)!.used = true;
      }
    }
    for (const [name, filter] of this.filters) {
      if (!filter.used) {
        throw new ServerError(
          ErrorCode.FailedToParse,
          `The array filter for identifier '${name}' was not used in the update ${JSON.stringify(u)}`,
        );
      }
    }
  }
}

function identifiers(filter: Doc): string[] {
  return Object.entries(filter).flatMap(([key, value]) => {
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      return value.filter(isPlainObject).flatMap(identifiers);
    }
    return key.startsWith('$') ? [] : [key.split('.')[0]];
  });
}

/** Where positional elements resolve: the query for `$`, the array filters for `$[id]`. */
export interface PositionalContext {
  original: Doc;
  query: Doc;
  filters: ArrayFilters;
  options: FilterOptions;
  inserting: boolean;
}

/** The concrete paths a path with `$`, `$[]` or `$[id]` stands for in this document. */
export function resolvePaths(doc: Doc, parts: string[], ctx: PositionalContext): string[][] {
  const i = parts.findIndex(isPositional);
  if (i < 0) return [parts];
  const prefix = parts.slice(0, i);
  const part = parts[i];
  if (part === '$') {
    const index = ctx.inserting ? null : positionalIndex(ctx.original, prefix.join('.'), ctx.query, ctx.options);
    if (index === null) throw badValue('The positional operator did not find the match needed from the query.');
    return resolvePaths(doc, [...prefix, String(index), ...parts.slice(i + 1)], ctx);
  }
  let node: unknown = doc;
  for (const p of prefix) node = Array.isArray(node) ? node[Number(p)] : isPlainObject(node) ? own(node, p) : undefined;
  if (!Array.isArray(node)) {
    throw badValue(`The path '${prefix.join('.')}' must exist in the document in order to apply array updates.`);
  }
  const name = part.slice(2, -1);
  const out: string[][] = [];
  node.forEach((element, index) => {
    if (name === '' || ctx.filters.matches(name, parts.join('.'), element)) {
      out.push(...resolvePaths(doc, [...prefix, String(index), ...parts.slice(i + 1)], ctx));
    }
  });
  return out;
}
