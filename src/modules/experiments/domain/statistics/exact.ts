import { betaRegularized, logGamma } from './special-functions';

/**
 * Exact tests for counts too small for the χ² and normal approximations: the multinomial goodness of fit
 * (binomial for two arms), Fisher's and Freeman–Halton's tests of equal rates, and the exact conditional
 * test of equal rates across strata. Each p-value is two-sided as R computes it: the probability, under
 * the null, of every outcome no more likely than the one observed.
 */

/** R's tolerance: an outcome within this relative margin of the observed one's probability counts as tied. */
const TIES = 1 + 1e-7;
/** Work (outcomes and tail terms) an exact test may do before it gives up; the caller then approximates. */
const MAX_WORK = 2_000_000;

const logChoose = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/** A unimodal distribution over the integers lo..hi with its tails; `tailWork` is what one tail costs. */
interface Draw {
  lo: number;
  hi: number;
  mode: number;
  logPmf(x: number): number;
  /** P(X ≤ x). */
  below(x: number): number;
  /** P(X ≥ x). */
  above(x: number): number;
  tailWork: number;
}

function binomial(n: number, q: number): Draw {
  if (q <= 0 || q >= 1) {
    const at = q <= 0 ? 0 : n;
    return { lo: at, hi: at, mode: at, logPmf: () => 0, below: () => 1, above: () => 1, tailWork: 1 };
  }
  return {
    lo: 0,
    hi: n,
    mode: Math.min(n, Math.floor((n + 1) * q)),
    logPmf: (x) => logChoose(n, x) + x * Math.log(q) + (n - x) * Math.log1p(-q),
    below: (x) => (x >= n ? 1 : betaRegularized(1 - q, n - x, x + 1)),
    above: (x) => (x <= 0 ? 1 : betaRegularized(q, x, n - x + 1)),
    tailWork: 1,
  };
}

const LOG_2PI = Math.log(2 * Math.PI);

/** log(n!) − log(√(2πn) (n/e)ⁿ), the error of Stirling's formula, for n ≥ 1. */
function stirlingError(n: number): number {
  if (n <= 15) return logGamma(n + 1) - (n + 0.5) * Math.log(n) + n - LOG_2PI / 2;
  const nn = n * n;
  const [s0, s1, s2, s3, s4] = [1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188];
  if (n > 500) return (s0 - s1 / nn) / n;
  if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n;
  if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
  return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/** x log(x / m) + m − x, by its series where x is near m (where the three terms cancel). */
function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let sum = (x - m) * v;
    let term = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      term *= v;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / m) + m - x;
}

/** log P(X = x) for X ~ Bin(n, p), q = 1 − p, in Loader's saddle-point form: precise however large n is. */
function logBinomialPmf(x: number, n: number, p: number, q: number): number {
  if (x === 0) return n === 0 ? 0 : p < 0.1 ? -deviance(n, n * q) - n * p : n * Math.log(q);
  if (x === n) return q < 0.1 ? -deviance(n, n * p) - n * q : n * Math.log(p);
  const lc = stirlingError(n) - stirlingError(x) - stirlingError(n - x) - deviance(x, n * p) - deviance(n - x, n * q);
  return lc - 0.5 * (LOG_2PI + Math.log(x) + Math.log1p(-x / n));
}

/**
 * Successes among `draws` taken without replacement from `population` items of which `successes` are. Each term
 * is a ratio of binomial terms in Loader's form (as R's `dhyper`): a difference of log-binomial coefficients, each
 * some 10¹¹ among billions of users, would lose the fifth digit (Fisher's p of 0 against 3 events among 3 billion
 * users each would read 0.2500049 where it is just under ¼).
 */
function hypergeometric(population: number, successes: number, draws: number): Draw {
  const lo = Math.max(0, draws - (population - successes));
  const hi = Math.min(draws, successes);
  const failures = population - successes;
  const [p, q] = [draws / population, (population - draws) / population];
  const whole = logBinomialPmf(draws, population, p, q);
  const logPmf = (x: number) => logBinomialPmf(x, successes, p, q) + logBinomialPmf(draws - x, failures, p, q) - whole;
  const sum = (from: number, to: number) => {
    let s = 0;
    for (let x = from; x <= to; x++) s += Math.exp(logPmf(x));
    return s;
  };
  const mode = Math.floor(((draws + 1) * (successes + 1)) / (population + 2));
  return {
    lo,
    hi,
    mode: Math.min(hi, Math.max(lo, mode)),
    logPmf,
    below: (x) => sum(lo, x),
    above: (x) => sum(x, hi),
    tailWork: hi - lo + 1,
  };
}

class TooMuchWork extends Error {}

/**
 * The p-value of `observed` counts drawn as a chain: count j from `step(j, counts before it)`, the last
 * count being what remains. A draw whose whole subtree is no more likely than the observed outcome counts
 * whole, and so does every draw beyond it on that side of its mode (the draws are unimodal), so only the
 * outcomes more likely than the observed one are visited one by one. Null past MAX_WORK.
 */
function chainPValue(observed: readonly number[], step: (j: number, drawn: readonly number[]) => Draw): number | null {
  const last = observed.length - 2;
  if (last < 0) return 1;
  let logObserved = 0;
  for (let j = 0; j <= last; j++) logObserved += step(j, observed.slice(0, j)).logPmf(observed[j]);
  const limit = logObserved + Math.log(TIES);
  let work = 0;
  const spend = (n: number) => {
    work += n;
    if (work > MAX_WORK) throw new TooMuchWork();
  };
  const mass = (j: number, drawn: number[], logPrefix: number): number => {
    const d = step(j, drawn);
    const logAt = (x: number) => logPrefix + d.logPmf(x);
    const weight = Math.exp(logPrefix);
    if (logAt(d.mode) <= limit) return weight;
    spend(2 * d.tailWork);
    if (j === last) {
      // Each count of the last draw is one outcome: bisect for the first one no more likely on each side.
      const down = boundary(d.lo, d.mode, (x) => logAt(x) <= limit);
      const up = boundary(d.hi, d.mode, (x) => logAt(x) <= limit);
      return weight * ((down === null ? 0 : d.below(down)) + (up === null ? 0 : d.above(up)));
    }
    let sum = 0;
    for (const [from, to, by, tail] of [
      [d.mode, d.lo, -1, d.below],
      [d.mode + 1, d.hi, 1, d.above],
    ] as const) {
      for (let x = from; by < 0 ? x >= to : x <= to; x += by) {
        spend(1);
        if (logAt(x) <= limit) {
          sum += weight * tail(x);
          break;
        }
        sum += mass(j + 1, [...drawn, x], logAt(x));
      }
    }
    return sum;
  };
  try {
    return Math.min(1, mass(0, [], 0));
  } catch (error) {
    if (error instanceof TooMuchWork) return null;
    throw error;
  }
}

/** The count between `end` and `mode` nearest the mode that satisfies `ok` (which holds from `end` on, if at all). */
function boundary(end: number, mode: number, ok: (x: number) => boolean): number | null {
  if (!ok(end)) return null;
  let good = end;
  let bad = mode;
  while (Math.abs(bad - good) > 1) {
    const mid = Math.trunc((good + bad) / 2);
    if (ok(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

/**
 * The chain p-value of `counts` over arms of `sizes` (shares or users), the smallest arm drawn first: its
 * draws are the narrowest, and the two largest arms are bisected. `draw` gives an arm's count from the
 * count left, its size and the size of the arms left.
 */
function armsPValue(
  counts: readonly number[],
  sizes: readonly number[],
  draw: (left: number, size: number, sizeLeft: number) => Draw,
): number | null {
  const arms = counts
    .map((count, i) => ({ count, size: sizes[i] }))
    .filter((a) => a.size > 0)
    .sort((a, b) => a.size - b.size);
  const total = arms.reduce((s, a) => s + a.count, 0);
  const sizeLeft = arms.map((_, j) => arms.slice(j).reduce((s, a) => s + a.size, 0));
  return chainPValue(
    arms.map((a) => a.count),
    (j, drawn) => draw(total - drawn.reduce((s, x) => s + x, 0), arms[j].size, sizeLeft[j]),
  );
}

/**
 * Exact multinomial test of counts against expected shares (the exact binomial test for two arms); arms
 * with no share are left out. Null when the outcomes to visit are too many (large counts, where χ² holds).
 */
export function exactMultinomialTest(observed: readonly number[], shares: readonly number[]): number | null {
  return armsPValue(observed, shares, (users, share, shareLeft) => binomial(users, share / shareLeft));
}

/**
 * Exact test that k arms share one rate, given the margins (successes in all, users per arm): Fisher's for
 * two arms, Freeman–Halton's for more. Null when too costly.
 */
export function exactEqualRatesTest(successes: readonly number[], trials: readonly number[]): number | null {
  return armsPValue(successes, trials, (left, users, usersLeft) => hypergeometric(usersLeft, left, users));
}

/** Users and events of the two arms in one stratum. */
export interface EventTable {
  control: { n: number; events: number };
  treatment: { n: number; events: number };
}

/**
 * The direction a one-sided test looks for a difference in: the treatment's rate above the control's ('greater')
 * or below it ('less'), as R's `alternative`.
 */
export type OneSided = 'greater' | 'less';

/**
 * Exact conditional test of equal rates across strata (R's `mantelhaen.test(exact = TRUE)`; Fisher's exact
 * test for one stratum): the distribution of the treatment's events summed over strata, given each stratum's
 * margins, is the convolution of the strata's hypergeometric distributions. Two-sided by default; `oneSided`
 * gives the tail in that direction instead, the observed count and every count beyond it (R's `alternative`).
 * Null when too costly.
 */
export function stratifiedExactTest(strata: readonly EventTable[], oneSided?: OneSided): number | null {
  let pmf = [1];
  let lo = 0;
  let observed = 0;
  for (const { control, treatment } of strata) {
    const d = hypergeometric(control.n + treatment.n, control.events + treatment.events, treatment.n);
    if (pmf.length * (d.hi - d.lo + 1) > MAX_WORK) return null;
    const terms = Array.from({ length: d.hi - d.lo + 1 }, (_, i) => Math.exp(d.logPmf(d.lo + i)));
    const next = new Array<number>(pmf.length + terms.length - 1).fill(0);
    pmf.forEach((p, i) => terms.forEach((q, k) => (next[i + k] += p * q)));
    pmf = next;
    lo += d.lo;
    observed += treatment.events;
  }
  if (oneSided) {
    const at = observed - lo;
    const tail = oneSided === 'greater' ? pmf.slice(at) : pmf.slice(0, at + 1);
    return Math.min(
      1,
      tail.reduce((sum, p) => sum + p, 0),
    );
  }
  const limit = pmf[observed - lo] * TIES;
  return Math.min(
    1,
    pmf.reduce((sum, p) => (p <= limit ? sum + p : sum), 0),
  );
}
