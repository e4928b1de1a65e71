import { join } from 'node:path';
import { EVENT_LIMITS } from '../../../src/lib/events/activity-event';
import { RawEvent } from '../../../src/lib/synthetic/population';
import { readLines } from './text-files';

/** The two files of a current MovieLens release (ml-latest, ml-20m, ml-25m, ml-32m) the converter reads. */
export interface MovielensFiles {
  /** tags.csv: userId, movieId, tag, timestamp (unix seconds), with a header line. */
  tags: readonly string[];
  /** movies.csv: movieId, title, genres (separated by "|"), with a header line. */
  movies: readonly string[];
}

export function readMovielens(dir: string): MovielensFiles {
  return { tags: readLines(join(dir, 'tags.csv')), movies: readLines(join(dir, 'movies.csv')) };
}

/** The fields of one CSV line (RFC 4180 quoting: a quoted field may hold commas and doubled quotes). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) {
          field += line.slice(i);
          i = line.length;
          break;
        }
        field += line.slice(i, quote);
        i = quote + 1;
        if (line[i] !== '"') break;
        field += '"';
        i++;
      }
      const comma = line.indexOf(',', i);
      i = comma < 0 ? line.length : comma;
    } else {
      const comma = line.indexOf(',', i);
      field = line.slice(i, comma < 0 ? line.length : comma);
      i = comma < 0 ? line.length : comma;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

const NO_GENRES = '(no genres listed)';

/**
 * Tag applications as activity events, as for the HetRec sets: each is a `save` of the movie (title, genres
 * as categories) to a board named after the tag, at its second. Rows with an unknown time or an empty tag are
 * skipped; ids follow the row, so every row stays one event.
 */
export function convertMovielens(files: MovielensFiles): RawEvent[] {
  const movies = new Map<string, { title?: string; genres: string[] }>();
  for (const line of files.movies.slice(1)) {
    const [id, title, genres = ''] = csvFields(line);
    movies.set(id, {
      ...(title?.trim() && { title: title.trim().slice(0, EVENT_LIMITS.titleLength) }),
      genres: genres
        .split('|')
        .map((g) => g.trim())
        .filter((g) => g && g !== NO_GENRES)
        .slice(0, EVENT_LIMITS.categories),
    });
  }
  const events: RawEvent[] = [];
  files.tags.slice(1).forEach((line, row) => {
    const [user, movie, rawTag, stamp] = csvFields(line);
    const tag = rawTag?.trim().slice(0, EVENT_LIMITS.boardNameLength);
    const at = Number(stamp) * 1000;
    if (!user || !movie || !tag || !stamp || !Number.isFinite(at)) return;
    const known = movies.get(movie);
    events.push({
      id: `mlc-${user}-${row + 1}`,
      userId: `mlc-${user}`,
      type: 'save',
      occurredAt: new Date(at).toISOString(),
      item: {
        id: `movie-${movie}`,
        ...(known?.title && { title: known.title }),
        ...(known && known.genres.length > 0 && { categories: known.genres }),
      },
      board: { name: tag },
    });
  });
  return events;
}
