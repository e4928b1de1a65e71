/**
 * Keyset pagination: a page is the `limit` items after the last key of the previous page, read from an
 * index in key order, so page 10,000 costs what page 1 costs. Cursors are opaque base64url strings.
 */
export interface Page<T> {
  items: T[];
  /** The cursor of the next page; absent on the last page. */
  next?: string;
}

const MAX_CURSOR_LENGTH = 512;

/** Encodes the sort key of the last item shown. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The sort key inside a cursor, or undefined for a missing or malformed one (the first page). */
export function decodeCursor(cursor: unknown): string | undefined {
  if (typeof cursor !== 'string' || cursor === '' || cursor.length > MAX_CURSOR_LENGTH) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** A page from `limit + 1` rows read after the cursor: the extra row only says that a next page exists. */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (item: T) => string): Page<T> {
  if (rows.length <= limit) return { items: [...rows] };
  const items = rows.slice(0, limit);
  return { items, next: encodeCursor(keyOf(items[items.length - 1])) };
}
