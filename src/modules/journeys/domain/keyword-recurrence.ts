import { sigmoid } from '../../ranking/domain/logistic-regression';
import { UserKeyword } from './user-keywords';

/**
 * How likely a user is to use a keyword again, learnt from the platform's own histories: each history is cut
 * in time, and every keyword used before the cut either recurs in the next sessions or does not. Per keyword,
 * the share that recurred (its propensity: habitual vocabulary recurs, a title or a one-off entity does not),
 * shrunk to the platform mean; and a logistic model of recurrence from the user's own evidence with that
 * propensity as a prior.
 */
export interface RecurrenceJson {
  /** Share of (user, keyword) pairs that recurred, over `examples` pairs. */
  mean: number;
  examples: number;
  /** Beta prior strength: a keyword seen with this many users is half its own rate, half the mean. */
  priorStrength: number;
  /** The keywords seen with the most users and their shrunk rates; others get the mean. */
  keys: string[];
  rates: number[];
  /** Users who used each kept keyword (absent in older models): how generic a word is across the platform. */
  users?: number[];
  /** Logistic intercept and weights over USE_FEATURES. */
  intercept: number;
  weights: number[];
}

/** Names of the logistic model's inputs, in order (the intercept first). */
export const USE_FEATURES = ['logEvents', 'logSessions', 'logSessionsSince', 'propensityLift', 'logUsers'] as const;

/**
 * Where a keyword's use is judged: the session of each of the user's events, and the sessions (ascending,
 * distinct) of the activity the keyword belongs to - its journey. Recency counts only those sessions, so
 * activity elsewhere (an unrelated search) does not age every keyword of every journey at once.
 */
export interface UseContext {
  sessionOf: readonly number[];
  journeySessions: readonly number[];
}

/** The distinct values of a list, ascending. */
export function ascendingDistinct(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** A context where the whole history is one journey: every session counts. */
export function wholeHistoryContext(sessionOf: readonly number[]): UseContext {
  return { sessionOf, journeySessions: ascendingDistinct(sessionOf) };
}

/** Number of entries of an ascending list greater than `value`. */
export function countAbove(ascending: readonly number[], value: number): number {
  let lo = 0;
  let hi = ascending.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ascending[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return ascending.length - lo;
}

/** A beta-binomial posterior mean: `recurred` of `observed` pulled toward `mean` with `strength` pseudo-observations. */
export function shrunkRate(recurred: number, observed: number, mean: number, strength: number): number {
  return (recurred + strength * mean) / (observed + strength);
}

/** What the platform knows of a keyword: its recurrence over the mean (log-odds) and how many users used it. */
export interface KeywordPrior {
  lift: number;
  users: number;
}

/**
 * The model's inputs for one keyword of one user: own evidence (events, sessions, sessions since on its journey)
 * and the platform's prior (propensity lift; log users, generic vs specific: among words nobody else uses,
 * titles and one-off names recur less than habitual vocabulary, which the shrunk propensity cannot tell apart).
 */
export function useFeatures(
  k: Pick<UserKeyword, 'events' | 'chosenEvents'>,
  context: UseContext,
  prior: KeywordPrior,
): number[] {
  const { sessionOf, journeySessions } = context;
  const sessions = new Set(k.events.map((i) => sessionOf[i])).size;
  const lastUse = sessionOf[k.events[k.events.length - 1]];
  const since = lastUse === undefined ? 0 : countAbove(journeySessions, lastUse);
  const events = k.chosenEvents > 0 ? k.chosenEvents : k.events.length;
  const own = [Math.log(Math.max(1, events)), Math.log(Math.max(1, sessions)), Math.log(1 + since)];
  return [...own, prior.lift, Math.log(Math.max(1, prior.users))];
}

/** Log-odds of a probability, clamped away from 0 and 1. */
export function logit(p: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

/** The served model: a keyword's propensity and the probability that a user uses one of their keywords again. */
export class KeywordRecurrence {
  private readonly index = new Map<string, number>();

  constructor(readonly json: RecurrenceJson) {
    json.keys.forEach((k, i) => this.index.set(k, i));
  }

  /** The keyword's shrunk recurrence rate; the platform mean for a keyword the model does not hold. */
  propensity(key: string): number {
    const i = this.index.get(key);
    return i === undefined ? this.json.mean : this.json.rates[i];
  }

  /** Log-odds of the keyword's propensity over the platform mean (0 for an unknown keyword). */
  lift(key: string): number {
    return logit(this.propensity(key)) - logit(this.json.mean);
  }

  /** Users who used the keyword; 1 for a keyword the model does not hold (it keeps the most used ones). */
  users(key: string): number {
    const i = this.index.get(key);
    return i === undefined ? 1 : (this.json.users?.[i] ?? 1);
  }

  /** Probability that the user uses the keyword in their next sessions. */
  useProbability(k: Pick<UserKeyword, 'key' | 'events' | 'chosenEvents'>, context: UseContext): number {
    const x = useFeatures(k, context, { lift: this.lift(k.key), users: this.users(k.key) });
    return sigmoid(x.reduce((s, v, j) => s + v * (this.json.weights[j] ?? 0), this.json.intercept));
  }

  toJSON(): RecurrenceJson {
    return this.json;
  }
}
