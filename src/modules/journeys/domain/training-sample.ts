import { fnv1a } from '../../../lib/text/ngrams';

/**
 * The users the platform embedder trains on: all of them up to `maxUsers`, past that the `maxUsers` whose
 * id hashes lowest. The choice depends on the ids only (not their order or the events' arrival), so the
 * same users retrain the same model, and a hash spreads the sample over sign-up cohorts and id schemes.
 * Returned in id order; `maxUsers` 0 means no bound.
 */
export function trainingSample(userIds: readonly string[], maxUsers: number): string[] {
  const sorted = [...userIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (maxUsers <= 0 || sorted.length <= maxUsers) return sorted;
  const keyed = sorted.map((id) => ({ id, hash: fnv1a(id) }));
  keyed.sort((a, b) => a.hash - b.hash || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed
    .slice(0, maxUsers)
    .map((k) => k.id)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
