import { ErrorCode, ServerError } from '../../errors';
import { isPlainObject, own, setOwn, typeCode } from '../bson-values';
import { Doc } from '../documents';
import { formatValue } from '../format-value';

const NUMERIC = /^\d+$/;

const TYPE_NAMES = new Map<number, string>([
  [1, 'double'],
  [2, 'string'],
  [3, 'object'],
  [4, 'array'],
  [5, 'binData'],
  [7, 'objectId'],
  [8, 'bool'],
  [9, 'date'],
  [10, 'null'],
  [11, 'regex'],
  [16, 'int'],
  [17, 'timestamp'],
  [18, 'long'],
  [19, 'decimal'],
]);

/** MongoDB's name for a value's type in error messages. */
export function typeName(value: unknown): string {
  return TYPE_NAMES.get(typeCode(value) ?? 10) ?? 'object';
}

/** The field (or array slot) an update operator works on, reached through a concrete path. */
export class FieldTarget {
  private constructor(
    private readonly container: Doc | unknown[],
    private readonly key: string,
  ) {}

  /**
   * Walks to the parent of the last path element. With `create`, missing documents are created on
   * the way and a path that runs into a scalar or a non-numeric array field is PathNotViable; without
   * it such a path simply does not exist (null).
   */
  static reach(doc: Doc, parts: string[], create: boolean): FieldTarget | null {
    let node: Doc | unknown[] = doc;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (Array.isArray(node) && !NUMERIC.test(part)) {
        if (!create) return null;
        throw FieldTarget.notViable(part, parts[i - 1], node);
      }
      if (i === parts.length - 1) return new FieldTarget(node, part);
      let next: unknown = Array.isArray(node) ? node[Number(part)] : own(node, part);
      if (next === undefined || next === null) {
        if (!create) return null;
        if (next === null) throw FieldTarget.notViable(parts[i + 1], part, next);
        next = {};
        FieldTarget.put(node, part, next);
      } else if (!isPlainObject(next) && !Array.isArray(next)) {
        if (!create) return null;
        throw FieldTarget.notViable(parts[i + 1], part, next);
      }
      node = next as Doc | unknown[];
    }
    return null;
  }

  private static notViable(field: string, parent: string | undefined, value: unknown): ServerError {
    return new ServerError(
      ErrorCode.PathNotViable,
      `Cannot create field '${field}' in element {${parent ?? ''}: ${formatValue(value)}}`,
    );
  }

  private static put(container: Doc | unknown[], key: string, value: unknown): void {
    if (!Array.isArray(container)) {
      setOwn(container, key, value);
      return;
    }
    const index = Number(key);
    while (container.length < index) container.push(null); // MongoDB pads arrays with nulls
    container[index] = value;
  }

  get value(): unknown {
    return Array.isArray(this.container) ? this.container[Number(this.key)] : own(this.container, this.key);
  }

  get exists(): boolean {
    return this.value !== undefined;
  }

  get name(): string {
    return this.key;
  }

  set(value: unknown): void {
    FieldTarget.put(this.container, this.key, value);
  }

  /** `$unset`: removes a field; an array element becomes null, as in MongoDB. */
  remove(): void {
    if (!this.exists) return;
    if (Array.isArray(this.container)) this.container[Number(this.key)] = null;
    else delete this.container[this.key];
  }
}
