import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_LIMITS } from '../../../src/lib/events/activity-event';
import { RawEvent } from '../../../src/lib/synthetic/population';
import { tagSave } from './tag-events';
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

interface Layout {
  tagged: string;
  items: string;
  titleColumn: number;
  /** Prefixes of the user ids and of the item ids. */
  prefix: string;
  item: string;
}

const LAYOUTS: Record<HetrecKind, Layout> = {
  movies: { tagged: 'user_taggedmovies', items: 'movies.dat', titleColumn: 1, prefix: 'ml', item: 'movie' },
  artists: { tagged: 'user_taggedartists', items: 'artists.dat', titleColumn: 1, prefix: 'fm', item: 'artist' },
  bookmarks: { tagged: 'user_taggedbookmarks', items: 'bookmarks.dat', titleColumn: 2, prefix: 'dl', item: 'bookmark' },
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

/** Assignments dated before this are mistyped dates (a few Last.fm rows say 1956), which ingest refuses. */
const EARLIEST = Date.parse(EVENT_LIMITS.earliestOccurredAt);

/**
 * Tag assignments as activity events (see `tagSave`): the item's title or name, a movie's genres as
 * categories. Tags applied at the same instant stay separate events at that instant; an assignment dated
 * before ingest's earliest time is skipped, as one of an unknown tag is.
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
  const seen = new Map<string, number>();
  const events: RawEvent[] = [];
  for (const [user, item, tagId, ...time] of tsvRows(files.taggings, true)) {
    const tag = tags.get(tagId);
    const at = assignedAt(time);
    if (!user || !item || !tag || !Number.isFinite(at) || at < EARLIEST) continue;
    const base = `${layout.prefix}-${user}-${item}-${tagId}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    events.push(
      tagSave({
        id: n === 1 ? base : `${base}-${n}`,
        userId: `${layout.prefix}-${user}`,
        at,
        itemId: `${layout.item}-${item}`,
        title: titles.get(item),
        categories: genres.get(item),
        tag,
      }),
    );
  }
  return events;
}
