import { join } from 'node:path';
import { EVENT_LIMITS } from '../../../src/lib/events/activity-event';
import { RawEvent } from '../../../src/lib/synthetic/population';
import { readLines, tsvRows } from './text-files';

/** The four HetRec 2011 MovieLens-2k files the converter reads, as lines (header included). */
export interface HetrecFiles {
  /** user_taggedmovies-timestamps.dat: userID, movieID, tagID, unixTimeStamp (ms, UTC). */
  taggings: readonly string[];
  /** tags.dat: id, value. */
  tags: readonly string[];
  /** movies.dat: id, title, ... */
  movies: readonly string[];
  /** movie_genres.dat: movieID, genre. */
  genres: readonly string[];
}

/** Reads the HetRec files from the dataset folder. */
export function readHetrec(dir: string): HetrecFiles {
  return {
    taggings: readLines(join(dir, 'user_taggedmovies-timestamps.dat')),
    tags: readLines(join(dir, 'tags.dat')),
    movies: readLines(join(dir, 'movies.dat')),
    genres: readLines(join(dir, 'movie_genres.dat')),
  };
}

/**
 * Tag assignments as activity events. A user's tag is their own name for a set of movies, which is what a
 * board is, so each assignment is a `save` of the movie (title, genres as categories) to a board named after
 * the tag. Tags applied in the same second stay separate events at the same instant.
 */
export function convertHetrec(files: HetrecFiles): RawEvent[] {
  const tags = new Map(tsvRows(files.tags, true).map(([id, value]) => [id, (value ?? '').trim()]));
  const titles = new Map(tsvRows(files.movies, true).map(([id, title]) => [id, (title ?? '').trim()]));
  const genres = new Map<string, string[]>();
  for (const [movie, genre] of tsvRows(files.genres, true)) {
    if (genre?.trim()) genres.set(movie, [...(genres.get(movie) ?? []), genre.trim()]);
  }
  const seen = new Map<string, number>();
  const events: RawEvent[] = [];
  for (const [user, movie, tagId, stamp] of tsvRows(files.taggings, true)) {
    const tag = tags.get(tagId)?.slice(0, EVENT_LIMITS.boardNameLength);
    const at = Number(stamp);
    if (!user || !movie || !tag || !Number.isFinite(at)) continue;
    const base = `ml-${user}-${movie}-${tagId}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const title = titles.get(movie)?.slice(0, EVENT_LIMITS.titleLength);
    events.push({
      id: n === 1 ? base : `${base}-${n}`,
      userId: `ml-${user}`,
      type: 'save',
      occurredAt: new Date(at).toISOString(),
      item: {
        id: `movie-${movie}`,
        ...(title && { title }),
        ...(genres.has(movie) && { categories: genres.get(movie)!.slice(0, EVENT_LIMITS.categories) }),
      },
      board: { name: tag },
    });
  }
  return events;
}
