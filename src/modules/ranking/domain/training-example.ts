import { FEATURE_NAMES } from './features';
import { DEFAULT_ATTRIBUTION_WINDOW_HOURS, outcomeLabel } from './notification-outcome';
import { RankingError } from './ranking.errors';

/** One labelled (user, journey) observation: features as logged when the notification was sent. */
export interface TrainingExample {
  userId: string;
  journeyName: string;
  /** When the features were observed; orders the time-based split. */
  at: Date;
  features: Record<string, number>;
  label: 0 | 1;
}

/** A human judgement of whether a journey is right for a user. */
export interface Annotation {
  userId: string;
  journeyName: string;
  label: 0 | 1;
}

/** Named feature values of a vector in FEATURE_NAMES order, as logged with a notification. */
export function featureRecord(values: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, values[i]]));
}

const fail = (where: string, field: string, message: string) =>
  new RankingError('ranking.invalid-example', `${where}: ${field} ${message}`, field);

function optionalDate(value: unknown, where: string, field: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw fail(where, field, 'must be an ISO-8601 date');
  return date;
}

/**
 * Validates one JSONL training line. The label is either given (`label`: 0 or 1) or derived from the
 * outcome: `openedAt`/`clickedAt` within the attribution window after `at` (the send time) = 1.
 */
export function parseTrainingExample(
  raw: unknown,
  where: string,
  attributionWindowHours = DEFAULT_ATTRIBUTION_WINDOW_HOURS,
): TrainingExample {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail(where, 'example', 'must be an object');
  const r = raw as Record<string, unknown>;
  for (const field of ['userId', 'journeyName'] as const) {
    if (typeof r[field] !== 'string' || (r[field] as string).length === 0) {
      throw fail(where, field, 'must be a non-empty string');
    }
  }
  const at = optionalDate(r.at, where, 'at');
  if (!at) throw fail(where, 'at', 'is required');
  if (typeof r.features !== 'object' || r.features === null || Array.isArray(r.features)) {
    throw fail(where, 'features', 'must be an object');
  }
  const features = r.features as Record<string, unknown>;
  for (const [name, value] of Object.entries(features)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw fail(where, `features.${name}`, 'must be a finite number');
    }
  }
  let label: 0 | 1;
  if (r.label !== undefined) {
    if (r.label !== 0 && r.label !== 1) throw fail(where, 'label', 'must be 0 or 1');
    label = r.label;
  } else {
    const openedAt = optionalDate(r.openedAt, where, 'openedAt');
    const clickedAt = optionalDate(r.clickedAt, where, 'clickedAt');
    label = outcomeLabel(
      { userId: r.userId as string, journeyName: r.journeyName as string, sentAt: at, openedAt, clickedAt },
      attributionWindowHours,
    );
  }
  return {
    userId: r.userId as string,
    journeyName: r.journeyName as string,
    at,
    features: features as Record<string, number>,
    label,
  };
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells.map((s) => s.trim());
}

/** Parses an annotation CSV with a `userId,journeyName,label` header (quoted cells allowed). */
export function parseAnnotationsCsv(text: string): Annotation[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) return [];
  const header = splitCsvLine(lines[0]).map((h) => h.toLowerCase());
  const col = (name: string) => {
    const at = header.indexOf(name.toLowerCase());
    if (at < 0) throw new RankingError('ranking.invalid-annotation', `annotations header must name ${name}`, name);
    return at;
  };
  const [u, j, l] = [col('userId'), col('journeyName'), col('label')];
  return lines.slice(1).map((line, i) => {
    const cells = splitCsvLine(line);
    const label = cells[l];
    if (label !== '0' && label !== '1') {
      throw new RankingError('ranking.invalid-annotation', `annotations line ${i + 2}: label must be 0 or 1`, 'label');
    }
    if (!cells[u] || !cells[j]) {
      throw new RankingError(
        'ranking.invalid-annotation',
        `annotations line ${i + 2}: userId and journeyName are required`,
        cells[u] ? 'journeyName' : 'userId',
      );
    }
    return { userId: cells[u], journeyName: cells[j], label: label === '1' ? 1 : 0 };
  });
}
