import { BucketRange, Namespace, chooseVariation, getBucketRanges, inNamespace } from './bucket-ranges';
import { HashVersion, hash } from './hash';

/** The arm of users held out of an experiment: assigned and counted, but sent nothing. */
export const HOLDOUT_ARM = 'holdout';
/** The arm recorded for users of the global control group, who receive no campaign at all. */
export const GLOBAL_CONTROL_ARM = 'global-control';

/** What assignment needs to know about an experiment (a subset of its definition). */
export interface AssignmentDesign {
  key: string;
  /** The phase seed; defaults to `key`. A new seed re-randomizes everyone, stored assignments included. */
  seed?: string;
  hashVersion?: HashVersion;
  /** In order; weights in any positive scale (50/50 and 0.5/0.5 are the same split). */
  variants: ReadonlyArray<{ key: string; weight: number }>;
  /** Share of users in [0, 1) held out before the variant split. */
  holdoutShare?: number;
  /** Mutual exclusion with other experiments of the same namespace. */
  namespace?: Namespace;
}

/** A product-wide group that receives no campaign at all, the same users for every campaign. */
export interface GlobalControlGroup {
  seed: string;
  share: number;
}

/** An assignment recorded earlier for this user and experiment; it wins over the hash (stickiness). */
export interface StoredAssignment {
  seed: string;
  arm: string;
}

export type AssignmentSource = 'hash' | 'stored';

export type Assignment =
  | { status: 'excluded'; reason: 'empty-user-id' | 'outside-namespace' }
  | { status: 'global-control'; bucket: number }
  | { status: 'holdout'; arm: typeof HOLDOUT_ARM; seed: string; bucket: number; source: AssignmentSource }
  | { status: 'variant'; arm: string; variantIndex: number; seed: string; bucket: number; source: AssignmentSource };

export interface AssignOptions {
  stored?: StoredAssignment | null;
  globalControl?: GlobalControlGroup | null;
}

/** Whether a user is in the global control group (hash v2 of the group's own seed, range [0, share)). */
export function inGlobalControl(userId: string, group: GlobalControlGroup): boolean {
  const n = hash(group.seed, userId, 2);
  return n !== null && n < group.share;
}

/** The seed of the holdout split: its own hash, so holding users out never reshuffles the variants. */
const holdoutSeed = (seed: string) => `${seed}:holdout`;

/**
 * Prepares an experiment's ranges once and returns a function assigning one user id (hashed as UTF-8).
 * Order: a valid stored assignment wins (so changing weights or the holdout share never moves an
 * assigned user); then the global control group, the namespace, the holdout split, and finally
 * GrowthBook's `chooseVariation(hash(seed, userId), ranges)` over the normalised weights.
 */
export function createAssigner(design: AssignmentDesign): (userId: string, options?: AssignOptions) => Assignment {
  const seed = design.seed ?? design.key;
  const version = design.hashVersion ?? 2;
  const keys = design.variants.map((v) => v.key);
  const ranges = variantRanges(design.variants.map((v) => v.weight));
  const holdoutShare = design.holdoutShare ?? 0;
  const holdoutHashSeed = holdoutSeed(seed);
  return (userId, options = {}) => {
    if (!userId) return { status: 'excluded', reason: 'empty-user-id' };
    const bucket = hash(seed, userId, version) ?? 0;
    const stored = options.stored;
    if (stored && stored.seed === seed) {
      if (stored.arm === HOLDOUT_ARM) return { status: 'holdout', arm: HOLDOUT_ARM, seed, bucket, source: 'stored' };
      const index = keys.indexOf(stored.arm);
      if (index >= 0) {
        return { status: 'variant', arm: stored.arm, variantIndex: index, seed, bucket, source: 'stored' };
      }
    }
    if (options.globalControl && inGlobalControl(userId, options.globalControl)) {
      return { status: 'global-control', bucket: hash(options.globalControl.seed, userId, 2) ?? 0 };
    }
    if (design.namespace && !inNamespace(userId, design.namespace)) {
      return { status: 'excluded', reason: 'outside-namespace' };
    }
    if (holdoutShare > 0 && (hash(holdoutHashSeed, userId, version) ?? 1) < holdoutShare) {
      return { status: 'holdout', arm: HOLDOUT_ARM, seed, bucket, source: 'hash' };
    }
    const index = Math.max(0, chooseVariation(bucket, ranges));
    return { status: 'variant', arm: keys[index], variantIndex: index, seed, bucket, source: 'hash' };
  };
}

/** Assigns one user; see `createAssigner` (use it directly to assign many users of one experiment). */
export function assign(design: AssignmentDesign, userId: string, options?: AssignOptions): Assignment {
  return createAssigner(design)(userId, options);
}

/** Full-coverage ranges over weights normalised to sum 1 (GrowthBook would fall back to equal weights). */
function variantRanges(weights: readonly number[]): BucketRange[] {
  const clean = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  const total = clean.reduce((a, b) => a + b, 0);
  return getBucketRanges(clean.length, 1, total > 0 ? clean.map((w) => w / total) : null);
}
