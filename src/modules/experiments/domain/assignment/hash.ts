import { fnv1a32 } from './fnv1a';

/** GrowthBook hash versions: 1 is the legacy one (biased across parallel experiments), 2 the current. */
export type HashVersion = 1 | 2;

/**
 * GrowthBook's bucketing hash: a number in [0, 1) for (seed, value), or null for an unknown version.
 * v2 = fnv(decimal(fnv(seed + value))) mod 10000 / 10000; v1 = fnv(value + seed) mod 1000 / 1000.
 */
export function hash(seed: string, value: string, version: number): number | null {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  return null;
}
