import { cachedFormatter } from './intl';
import { TemplateError } from './templates.errors';

export interface JoinOptions {
  /** `and` (default), `or`, or `unit` (a plain list: "3 ft, 7 in"). */
  type?: string;
  /** Property to print when the items are objects (`key="name"`). */
  key?: string;
  /** Items kept at most, in order. */
  limit?: number;
}

function property(item: unknown, key: string): unknown {
  return item !== null && typeof item === 'object' && Object.hasOwn(item, key)
    ? (item as Record<string, unknown>)[key]
    : undefined;
}

const TYPES: Record<string, Intl.ListFormatType> = { and: 'conjunction', or: 'disjunction', unit: 'unit' };

/** The list types `join` takes as `type=`. */
export const LIST_TYPES: readonly string[] = Object.keys(TYPES);

/** "kitchen, backsplash and tiles": a list in the locale's own words (`Intl.ListFormat`); empty items are skipped. */
export function joinList(value: unknown, locale: string, options: JoinOptions = {}): string {
  if (value === undefined || value === null) return '';
  const type = TYPES[options.type ?? 'and'];
  if (!type) throw new TemplateError('templates.invalid-value', `unknown list type "${options.type}"`, 'type');
  const items: string[] = [];
  const limit = options.limit ?? Infinity;
  for (const entry of Array.isArray(value) ? (value as unknown[]) : [value]) {
    if (items.length >= limit) break;
    const item = options.key ? property(entry, options.key) : entry;
    if (item !== undefined && item !== null && item !== '') items.push(String(item));
  }
  const formatter = cachedFormatter(`list|${locale}|${type}`, () => new Intl.ListFormat(locale, { type }));
  return formatter.format(items);
}
