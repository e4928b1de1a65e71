import { DiversificationParams } from './diversify';
import { RankingError } from './ranking.errors';

/** Online ranking settings; config/ranking.json documents the same defaults for deployments. */
export interface RankingParams {
  diversification: DiversificationParams;
  expansions: {
    /** Most expansion (related) journeys allowed in the final list; 0 keeps them out. */
    quota: number;
    /** An expansion scores this fraction of the journey it was expanded from. */
    scoreFactor: number;
  };
  /** Longest list returned; 0 returns every candidate. */
  limit: number;
}

/** Threshold 0.5: with the platform embedder, unrelated journeys of a user sit near cosine 0 (p90 0.03). */
export const DEFAULT_RANKING_PARAMS: RankingParams = {
  diversification: { penalty: 0.95, threshold: 0.5, variant: 'single-pass' },
  expansions: { quota: 1, scoreFactor: 0.5 },
  limit: 0,
};

const VARIANTS = ['single-pass', 'greedy', 'none'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberIn(value: unknown, field: string, min: number, max: number, integer = false): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new RankingError(
      'ranking.invalid-params',
      `${field} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`,
      field,
    );
  }
  return value;
}

/** Validates partial ranking params (e.g. config/ranking.json) over the defaults; errors name the field. */
export function parseRankingParams(raw: unknown, defaults: RankingParams = DEFAULT_RANKING_PARAMS): RankingParams {
  if (raw === undefined) return defaults;
  if (!isRecord(raw)) throw new RankingError('ranking.invalid-params', 'ranking params must be an object');
  const div = raw.diversification ?? {};
  const exp = raw.expansions ?? {};
  if (!isRecord(div)) {
    throw new RankingError('ranking.invalid-params', 'diversification must be an object', 'diversification');
  }
  if (!isRecord(exp)) throw new RankingError('ranking.invalid-params', 'expansions must be an object', 'expansions');
  const variant = div.variant ?? defaults.diversification.variant;
  if (!VARIANTS.includes(variant as (typeof VARIANTS)[number])) {
    throw new RankingError(
      'ranking.invalid-params',
      `diversification.variant must be one of ${VARIANTS.join(', ')}`,
      'diversification.variant',
    );
  }
  return {
    diversification: {
      penalty: numberIn(div.penalty ?? defaults.diversification.penalty, 'diversification.penalty', 0, 1),
      threshold: numberIn(div.threshold ?? defaults.diversification.threshold, 'diversification.threshold', -1, 1),
      variant: variant as RankingParams['diversification']['variant'],
    },
    expansions: {
      quota: numberIn(exp.quota ?? defaults.expansions.quota, 'expansions.quota', 0, 100, true),
      scoreFactor: numberIn(exp.scoreFactor ?? defaults.expansions.scoreFactor, 'expansions.scoreFactor', 0, 1),
    },
    limit: numberIn(raw.limit ?? defaults.limit, 'limit', 0, 1000, true),
  };
}
