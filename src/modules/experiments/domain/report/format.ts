import { OneSided } from '../statistics/canonical-test';
import { CorrectionMethod } from '../statistics/multiple-testing';
import { SrmTest } from '../statistics/srm';
import { MetricKind } from '../statistics/sufficient-stats';
import { Bounds, UnboundedInterval } from './report-model';

/** Shared number formatting of verdicts and renderers, so every output says the same thing. */

/** A signed percentage of a ratio: 0.1234 → "+12.3%". */
export function formatPercent(ratio: number, digits = 1): string {
  const text = (ratio * 100).toFixed(digits);
  if (Number(text) === 0) return `${(0).toFixed(digits)}%`;
  return `${ratio > 0 ? '+' : ''}${text}%`;
}

/** A signed difference: percentage points for rates, plain units for means; "-" for none. */
export function formatDifference(difference: number | null, kind: MetricKind, digits = 2): string {
  if (difference === null) return '-';
  if (kind === 'rate') {
    const text = (difference * 100).toFixed(digits);
    return `${Number(text) === 0 ? (0).toFixed(digits) : `${difference > 0 ? '+' : ''}${text}`} pp`;
  }
  return `${difference > 0 ? '+' : ''}${difference.toPrecision(3)}`;
}

/** The name of a multiple-comparison correction, as a reader knows it. */
export const CORRECTION_NAMES: Readonly<Record<CorrectionMethod, string>> = {
  holm: 'Holm',
  'benjamini-hochberg': 'Benjamini-Hochberg',
  none: 'no',
};

/** Why an interval has no bounds, in words: "interval unbounded after the Holm correction for 3 comparisons". */
export function unboundedText(unbounded: UnboundedInterval | null): string {
  if (!unbounded) return 'interval unbounded';
  return `interval unbounded after the ${CORRECTION_NAMES[unbounded.correction]} correction for ${unbounded.comparisons} comparisons`;
}

/** What a one-sided interval is, in words: "one-sided: a lower bound, the upper end open". */
export function oneSidedText(oneSided: OneSided): string {
  return `one-sided: ${oneSided === 'greater' ? 'a lower bound, the upper end open' : 'an upper bound, the lower end open'}`;
}

/**
 * An estimate with its interval on the relative or absolute scale: "+12.3% [+0.6%, +30.0%]". An interval without
 * bounds is said in words, with why when known: "-13.3% (interval unbounded after the Holm correction for 3
 * comparisons)". A one-sided test's interval is its one bound: "+0.40 pp, at least +0.02 pp".
 */
export function formatEstimate(
  bounds: Bounds,
  scale: 'relative' | 'absolute',
  kind: MetricKind,
  unbounded: UnboundedInterval | null = null,
  oneSided: OneSided | null = null,
): string {
  const fixed = scale === 'relative' || kind === 'rate';
  const least = scale === 'relative' ? 1 : 2;
  const at = (digits: number) => (x: number) =>
    scale === 'relative' ? formatPercent(x, digits) : formatDifference(x, kind, digits);
  const { estimate, lower, upper } = bounds;
  let one = at(least);
  // A push audience's interval can be narrower than a displayed unit: more digits until no value but 0 reads as 0 and
  // the bounds read apart, so a lift that excludes 0 never reads "0.0% [0.0%, 0.0%]".
  for (let digits = least; fixed && digits <= least + 4; digits++) {
    one = at(digits);
    const zeroShown = [estimate, lower, upper].some((x) => x !== null && x !== 0 && Number.parseFloat(one(x)) === 0);
    const boundsTogether = lower !== null && upper !== null && lower !== upper && one(lower) === one(upper);
    if (!zeroShown && !boundsTogether) break;
  }
  const bound = oneSided === 'greater' ? lower : upper;
  if (oneSided && bound !== null) {
    return `${one(estimate)}, at ${oneSided === 'greater' ? 'least' : 'most'} ${one(bound)}`;
  }
  if (lower === null || upper === null) return `${one(estimate)} (${unboundedText(unbounded)})`;
  return `${one(estimate)} [${one(lower)}, ${one(upper)}]`;
}

/** A metric value: rates as percentages, means with three significant digits. */
export function formatValue(value: number | null, kind: MetricKind): string {
  if (value === null) return '-';
  return kind === 'rate' ? `${(value * 100).toFixed(2)}%` : value.toPrecision(3);
}

/** A p-value as people read it: "p = 0.041", "p < 0.001". */
export function formatP(p: number | null): string {
  if (p === null) return '-';
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p.toFixed(3)}`;
}

/** The name of a split or balance check's test, as a reader knows it. */
export const SRM_TEST_NAMES: Readonly<Record<SrmTest, string>> = {
  'chi-square': 'χ² test',
  'exact-binomial': 'exact binomial test',
  'exact-multinomial': 'exact multinomial test',
  'fisher-exact': "Fisher's exact test",
  'freeman-halton': 'Freeman-Halton exact test',
  'cochran-mantel-haenszel': 'Cochran-Mantel-Haenszel test within assignment days',
};

/** A probability as a percentage without sign: 0.9797 → "98.0%". */
export function formatProbability(p: number | null): string {
  return p === null ? '-' : `${(p * 100).toFixed(1)}%`;
}

/** A count with thousands separators: 12345 → "12,345". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
