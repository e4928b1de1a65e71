import { join } from 'node:path';
import { RawEvent } from '../../../src/lib/synthetic/population';
import { tagSave } from './tag-events';
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
 * Tag applications as activity events (see `tagSave`): the movie's title, its genres as categories, at the
 * tag's second. Rows with an unknown time or an empty tag are
 * skipped; ids follow the row, so every row stays one event.
 */
export function convertMovielens(files: MovielensFiles): RawEvent[] {
  const movies = new Map<string, { title?: string; genres: string[] }>();
  for (const line of files.movies.slice(1)) {
    const [id, title, genres = ''] = csvFields(line);
    movies.set(id, {
      ...(title?.trim() && { title: title.trim() }),
      genres: genres
        .split('|')
        .map((g) => g.trim())
        .filter((g) => g && g !== NO_GENRES),
    });
  }
  const events: RawEvent[] = [];
  files.tags.slice(1).forEach((line, row) => {
    const [user, movie, rawTag, stamp] = csvFields(line);
    const tag = rawTag?.trim();
    const at = Number(stamp) * 1000;
    if (!user || !movie || !tag || !stamp || !Number.isFinite(at)) return;
    const known = movies.get(movie);
    events.push(
      tagSave({
        id: `mlc-${user}-${row + 1}`,
        userId: `mlc-${user}`,
        at,
        itemId: `movie-${movie}`,
        title: known?.title,
        categories: known?.genres,
        tag,
      }),
    );
  });
  return events;
}
