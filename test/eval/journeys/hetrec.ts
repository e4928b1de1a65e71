import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_LIMITS } from '../../../src/lib/events/activity-event';
import { RawEvent } from '../../../src/lib/synthetic/population';
import { DatasetError, readLines, tsvRows } from './text-files';

/**
 * The three HetRec 2011 tagging sets share one shape: users tag items (movies on MovieLens, artists on
 * Last.fm, web pages on Delicious) with free-text tags, at a time.
 */
export type HetrecKind = 'movies' | 'artists' | 'bookmarks';

/** The HetRec files the converter reads, as lines (header included). */
export interface HetrecFiles {
  kind: HetrecKind;
  /**
   * The tag assignments: userID, itemID, tagID, then either a unix time in ms (`*-timestamps.dat`) or the
   * date in parts, day, month, year and optionally hour, minute, second (`user_tagged*.dat`), read as UTC.
   */
  taggings: readonly string[];
  /** tags.dat: id, value. */
  tags: readonly string[];
  /** The items: movies.dat (id, title, ...), artists.dat (id, name, ...) or bookmarks.dat (id, md5, title, ...). */
  items: readonly string[];
  /** movie_genres.dat (movieID, genre), MovieLens only. */
  genres?: readonly string[];
}

const LAYOUTS: Record<HetrecKind, { tagged: string; items: string; titleColumn: number; prefix: string }> = {
  movies: { tagged: 'user_taggedmovies', items: 'movies.dat', titleColumn: 1, prefix: 'ml' },
  artists: { tagged: 'user_taggedartists', items: 'artists.dat', titleColumn: 1, prefix: 'fm' },
  bookmarks: { tagged: 'user_taggedbookmarks', items: 'bookmarks.dat', titleColumn: 2, prefix: 'dl' },
};

/**
 * Reads a HetRec set from its folder, whichever of the three it is (found by its tag-assignment file); the
 * assignments with unix times are preferred, and the dated ones are read when only they are there.
 */
export function readHetrec(dir: string): HetrecFiles {
  for (const kind of Object.keys(LAYOUTS) as HetrecKind[]) {
    const layout = LAYOUTS[kind];
    const taggings = [`${layout.tagged}-timestamps.dat`, `${layout.tagged}.dat`]
      .map((file) => join(dir, file))
      .find((path) => existsSync(path));
    if (!taggings) continue;
    const genres = join(dir, 'movie_genres.dat');
    return {
      kind,
      taggings: readLines(taggings),
      tags: readLines(join(dir, 'tags.dat')),
      items: readLines(join(dir, layout.items)),
      ...(kind === 'movies' && existsSync(genres) && { genres: readLines(genres) }),
    };
  }
  throw new DatasetError(
    `${dir} holds no HetRec tag assignments (user_taggedmovies, user_taggedartists or user_taggedbookmarks)`,
  );
}

/** The time of an assignment row's remaining columns: a unix time in ms, or day, month, year[, h, m, s] in UTC. */
function assignedAt(columns: readonly string[]): number {
  if (columns.length === 1) return Number(columns[0]);
  const [day, month, year, hour = 0, minute = 0, second = 0] = columns.map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/**
 * Tag assignments as activity events. A user's tag is their own name for a set of items, which is what a
 * board is, so each assignment is a `save` of the item (its title or name, a movie's genres as categories) to
 * a board named after the tag. Tags applied at the same instant stay separate events at that instant.
 */
export function convertHetrec(files: HetrecFiles): RawEvent[] {
  const layout = LAYOUTS[files.kind];
  const tags = new Map(tsvRows(files.tags, true).map(([id, value]) => [id, (value ?? '').trim()]));
  const titles = new Map(
    tsvRows(files.items, true).map((row) => [row[0], (row[layout.titleColumn] ?? '').trim()] as const),
  );
  const genres = new Map<string, string[]>();
  for (const [item, genre] of tsvRows(files.genres ?? [], true)) {
    if (genre?.trim()) genres.set(item, [...(genres.get(item) ?? []), genre.trim()]);
  }
  const itemKind = files.kind.slice(0, -1);
  const seen = new Map<string, number>();
  const events: RawEvent[] = [];
  for (const [user, item, tagId, ...time] of tsvRows(files.taggings, true)) {
    const tag = tags.get(tagId)?.slice(0, EVENT_LIMITS.boardNameLength);
    const at = assignedAt(time);
    if (!user || !item || !tag || !Number.isFinite(at)) continue;
    const base = `${layout.prefix}-${user}-${item}-${tagId}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const title = titles.get(item)?.slice(0, EVENT_LIMITS.titleLength);
    events.push({
      id: n === 1 ? base : `${base}-${n}`,
      userId: `${layout.prefix}-${user}`,
      type: 'save',
      occurredAt: new Date(at).toISOString(),
      item: {
        id: `${itemKind}-${item}`,
        ...(title && { title }),
        ...(genres.has(item) && { categories: genres.get(item)!.slice(0, EVENT_LIMITS.categories) }),
      },
      board: { name: tag },
    });
  }
  return events;
}
