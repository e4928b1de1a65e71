import { createHash } from 'node:crypto';
import { ActivitySummary, JourneyForJudge } from './judge-types';

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

/** The hashes that make a judge call's cache key. */
export interface JudgeCacheKey {
  key: string;
  activityHash: string;
  journeysHash: string;
}

/**
 * The cache key of a judge call: (activity hash, journeys hash, prompt version, model). The hashes cover exactly
 * what the prompt shows, so an unchanged user on an unchanged build is graded once, however often it is judged.
 */
export function judgeCacheKey(
  activity: ActivitySummary,
  journeys: readonly JourneyForJudge[],
  promptVersion: string,
  model: string,
): JudgeCacheKey {
  const activityHash = sha(activity);
  const journeysHash = sha(journeys);
  return { key: sha([activityHash, journeysHash, promptVersion, model]), activityHash, journeysHash };
}
