/** A user's current build and, when there was one, the build before it (names are all that is counted). */
export interface BuildSnapshot {
  journeys: ReadonlyArray<{ name: string }>;
  previous?: { journeys: ReadonlyArray<{ name: string }> };
}

export interface CommonJourney {
  name: string;
  /** Sampled users with the journey now, and their share of the sample. */
  users: number;
  share: number;
  /** Share among sampled users' previous builds (null when none of them had one). */
  previousShare: number | null;
  /** Null when none of the sampled users had a previous build. */
  trend: 'rising' | 'falling' | 'steady' | 'new' | null;
}

/** Share changes smaller than this (two points) read as steady. */
const STEADY = 0.02;

function countNames(
  lists: ReadonlyArray<ReadonlyArray<{ name: string }>>,
): Map<string, { name: string; users: number }> {
  const counts = new Map<string, { name: string; users: number }>();
  for (const list of lists) {
    for (const key of new Set(list.map((j) => j.name.trim().toLowerCase()))) {
      const entry = counts.get(key) ?? { name: list.find((j) => j.name.trim().toLowerCase() === key)!.name, users: 0 };
      entry.users += 1;
      counts.set(key, entry);
    }
  }
  return counts;
}

/**
 * The most common journey names in a sample of users' builds, with each name's share now and in the
 * same users' previous builds: a trend read from two builds per user rather than a scan of history.
 */
export function commonJourneys(
  builds: readonly BuildSnapshot[],
  limit: number,
): { sampled: number; withPrevious: number; journeys: CommonJourney[] } {
  const now = countNames(builds.map((b) => b.journeys));
  const earlier = builds.filter((b) => b.previous).map((b) => b.previous!.journeys);
  const before = countNames(earlier);
  const journeys = [...now.entries()]
    .sort(([ka, a], [kb, b]) => b.users - a.users || ka.localeCompare(kb))
    .slice(0, limit)
    .map(([key, { name, users }]): CommonJourney => {
      const share = users / builds.length;
      const previousShare = earlier.length > 0 ? (before.get(key)?.users ?? 0) / earlier.length : null;
      let trend: CommonJourney['trend'] = previousShare === null ? null : 'steady';
      if (previousShare === 0) trend = 'new';
      else if (previousShare !== null && share - previousShare >= STEADY) trend = 'rising';
      else if (previousShare !== null && previousShare - share >= STEADY) trend = 'falling';
      return { name, users, share, previousShare, trend };
    });
  return { sampled: builds.length, withPrevious: earlier.length, journeys };
}
