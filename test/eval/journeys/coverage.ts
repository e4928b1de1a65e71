import { Embedder } from '../../../src/modules/journeys/domain/embedder';
import { JourneyParams } from '../../../src/modules/journeys/domain/journey-params';
import { buildRankedJourneys } from '../../../src/modules/cli/journeys-build/user-lines';
import { addNameFit, emptyNameFit, NameFit } from './names';
import { EvalUser } from './users';

/** Users, and users with at least one journey, among those whose history length is in [min, max]. */
export interface CoverageBucket {
  label: string;
  min: number;
  max: number;
  users: number;
  covered: number;
}

const BUCKETS: ReadonlyArray<[number, number]> = [
  [1, 1],
  [2, 4],
  [5, 9],
  [10, 19],
  [20, 49],
  [50, Infinity],
];

/**
 * The share of users with at least one journey built from their whole history, by history length; and how the
 * names of those journeys read against what their users wrote.
 */
export function evaluateCoverage(
  users: readonly EvalUser[],
  embedder: Embedder,
  params: JourneyParams,
): { buckets: CoverageBucket[]; names: NameFit } {
  const names = emptyNameFit();
  const buckets: CoverageBucket[] = BUCKETS.map(([min, max]) => ({
    label: max === Infinity ? `${min}+` : min === max ? `${min}` : `${min}-${max}`,
    min,
    max,
    users: 0,
    covered: 0,
  }));
  for (const user of users) {
    const n = user.events.length;
    const bucket = buckets.find((b) => n >= b.min && n <= b.max);
    if (!bucket || n === 0) continue;
    const now = new Date(user.events[n - 1].at);
    const journeys = buildRankedJourneys(
      user.userId,
      user.events.map((e) => e.extracted),
      { now, embedder, params },
    );
    bucket.users++;
    if (journeys.length > 0) bucket.covered++;
    addNameFit(
      names,
      journeys.map((j) => j.name),
      user.events.flatMap((e) => e.texts),
    );
  }
  return { buckets, names };
}
