import { Prng } from '../../../../lib/synthetic/prng';
import { TestSettings, compareArms } from '../statistics/canonical-test';
import { MetricKind, SufficientStats, addStats } from '../statistics/sufficient-stats';

/** A simulated two-arm experiment: users per arm per day, and the true per-user outcome of each arm. */
export interface SimulationSpec {
  kind: MetricKind;
  days: number;
  usersPerArmPerDay: number;
  /** Rates: the true probability per arm. Means: the true mean of an exponential outcome per arm. */
  truth: [control: number, treatment: number];
}

/** An exact Binomial(n, p) draw by inverting its CDF (about n·p steps instead of n Bernoulli draws). */
function binomial(n: number, p: number, prng: Prng): number {
  const u = prng.next();
  const odds = p / (1 - p);
  let pk = (1 - p) ** n;
  let cdf = pk;
  let k = 0;
  while (u > cdf && k < n) {
    pk *= ((n - k) / (k + 1)) * odds;
    k++;
    cdf += pk;
  }
  return k;
}

/** One arm-day of outcomes: a binomial count for rates; exponential per-user values (skewed like revenue) for means. */
function drawDay(spec: SimulationSpec, truth: number, prng: Prng): SufficientStats {
  const n = spec.usersPerArmPerDay;
  if (spec.kind === 'rate') {
    const k = binomial(n, truth, prng);
    return { n, sum: k, sumSquares: k };
  }
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const y = -truth * Math.log(1 - prng.next());
    sum += y;
    sumSquares += y * y;
  }
  return { n, sum, sumSquares };
}

/** Cumulative sufficient statistics of both arms after each day. */
export function simulateCumulative(spec: SimulationSpec, prng: Prng): Array<[SufficientStats, SufficientStats]> {
  let a: SufficientStats = { n: 0, sum: 0, sumSquares: 0 };
  let b: SufficientStats = { n: 0, sum: 0, sumSquares: 0 };
  const looks: Array<[SufficientStats, SufficientStats]> = [];
  for (let d = 0; d < spec.days; d++) {
    a = addStats(a, drawDay(spec, spec.truth[0], prng));
    b = addStats(b, drawDay(spec, spec.truth[1], prng));
    looks.push([a, b]);
  }
  return looks;
}

export interface PeekingResult {
  experiments: number;
  /** Share of experiments declared significant at some daily look (every look, the way people read dashboards). */
  rejectedAtAnyLook: number;
  /** Share declared significant at the last look only (a fixed-horizon reading). */
  rejectedAtEnd: number;
  /** Share whose last-look absolute interval contains the true difference. */
  coveredAtEnd: number;
  /** Share whose last-look relative (Fieller) interval contains the true lift. */
  relativeCoveredAtEnd: number;
}

/** Runs `experiments` seeded simulations and reads each one every day with the given test settings. */
export function simulatePeeking(
  spec: SimulationSpec,
  settings: TestSettings,
  experiments: number,
  seed: number,
): PeekingResult {
  const prng = new Prng(seed);
  const trueDifference = spec.truth[1] - spec.truth[0];
  const trueLift = trueDifference / spec.truth[0];
  let any = 0;
  let end = 0;
  let covered = 0;
  let relativeCovered = 0;
  for (let e = 0; e < experiments; e++) {
    const looks = simulateCumulative(spec, prng).map(([a, b]) => compareArms(a, b, spec.kind, settings));
    if (looks.some((c) => c !== null && c.test.pValue < settings.alpha)) any++;
    const last = looks[looks.length - 1];
    if (last && last.test.pValue < settings.alpha) end++;
    if (last && last.absolute.lower! <= trueDifference && trueDifference <= last.absolute.upper!) covered++;
    const rel = last?.relative;
    if (rel && (rel.lower ?? -Infinity) <= trueLift && trueLift <= (rel.upper ?? Infinity)) relativeCovered++;
  }
  return {
    experiments,
    rejectedAtAnyLook: any / experiments,
    rejectedAtEnd: end / experiments,
    coveredAtEnd: covered / experiments,
    relativeCoveredAtEnd: relativeCovered / experiments,
  };
}
