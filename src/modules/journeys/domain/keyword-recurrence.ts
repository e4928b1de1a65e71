import { DEFAULT_JOURNEY_PARAMS, JourneyParams } from './journey-params';
import { ExtractedEvent } from './keywords';
import { fitLogisticRegression, sigmoid } from '../../ranking/domain/logistic-regression';
import { sessionsOf } from './signals';
import { aggregateKeywords, UserKeyword } from './user-keywords';

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
  /** Logistic intercept and weights over USE_FEATURES. */
  intercept: number;
  weights: number[];
}

export interface RecurrenceOptions {
  /** Where each history is cut (share of its events) and how many sessions after the cut count as recurring. */
  splitShare: number;
  horizonSessions: number;
  priorStrength: number;
  /** Keywords kept in the model; the rest get the mean. */
  maxKeys: number;
  /** Examples the logistic model is fit on (every n-th user beyond this). */
  maxExamples: number;
}

export const DEFAULT_RECURRENCE_OPTIONS: RecurrenceOptions = {
  splitShare: 0.7,
  horizonSessions: 3,
  priorStrength: 20,
  maxKeys: 5000,
  maxExamples: 200_000,
};

/** Names of the logistic model's inputs, in order (the intercept first). */
export const USE_FEATURES = ['logEvents', 'logSessions', 'logSessionsSince', 'propensityLift'] as const;

/** A beta-binomial posterior mean: `recurred` of `observed` pulled toward `mean` with `strength` pseudo-observations. */
export function shrunkRate(recurred: number, observed: number, mean: number, strength: number): number {
  return (recurred + strength * mean) / (observed + strength);
}

/** The model's inputs for one keyword of one user: own evidence (events, sessions, sessions since) and the prior. */
export function useFeatures(
  k: Pick<UserKeyword, 'events' | 'chosenEvents'>,
  sessionOf: readonly number[],
  propensityLift: number,
): number[] {
  const sessions = new Set(k.events.map((i) => sessionOf[i])).size;
  const last = sessionOf[sessionOf.length - 1] ?? 0;
  const since = last - (sessionOf[k.events[k.events.length - 1]] ?? last);
  const events = k.chosenEvents > 0 ? k.chosenEvents : k.events.length;
  return [Math.log(Math.max(1, events)), Math.log(Math.max(1, sessions)), Math.log(1 + since), propensityLift];
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

  /** Probability that the user uses the keyword in their next sessions. */
  useProbability(k: Pick<UserKeyword, 'key' | 'events' | 'chosenEvents'>, sessionOf: readonly number[]): number {
    const x = useFeatures(k, sessionOf, this.lift(k.key));
    return sigmoid(x.reduce((s, v, j) => s + v * (this.json.weights[j] ?? 0), this.json.intercept));
  }

  toJSON(): RecurrenceJson {
    return this.json;
  }
}

/** One user's keywords before a cut of their history, and the keys they used in the sessions after it. */
interface CutHistory {
  keywords: UserKeyword[];
  sessionOf: number[];
  later: Set<string>;
}

/** The first index of a distinct instant at or after `share` of the events, or -1 when none leaves both parts. */
export function cutIndex(events: readonly { at: number }[], share: number): number {
  const n = events.length;
  for (let i = Math.max(1, Math.round(n * share)); i < n; i++) if (events[i].at !== events[i - 1].at) return i;
  return -1;
}

function cutHistory(events: readonly ExtractedEvent[], options: RecurrenceOptions, params: JourneyParams) {
  const cut = cutIndex(events, options.splitShare);
  if (cut < 0) return undefined;
  const before = events.slice(0, cut);
  const gapMs = params.sessionGapMinutes * 60_000;
  const after = events.slice(cut);
  const afterSessions = sessionsOf(after, gapMs);
  const later = new Set<string>();
  after.forEach((e, i) => {
    if (afterSessions[i] < options.horizonSessions) for (const m of e.mentions) later.add(m.key);
  });
  const keywords = aggregateKeywords(before, before[before.length - 1].at, params);
  return { keywords, sessionOf: sessionsOf(before, gapMs), later } satisfies CutHistory;
}

const recurs = (k: UserKeyword, later: ReadonlySet<string>) => later.has(k.key) || k.variants.some((v) => later.has(v));

/**
 * Learns keyword recurrence from users' time-ordered histories (called twice: per-keyword counts, then the
 * logistic model on a sample of users, each example's own outcome left out of its keyword's propensity).
 */
export function trainKeywordRecurrence(
  source: () => Iterable<readonly ExtractedEvent[]>,
  overrides: Partial<RecurrenceOptions> = {},
  params: JourneyParams = DEFAULT_JOURNEY_PARAMS,
): KeywordRecurrence {
  const options = { ...DEFAULT_RECURRENCE_OPTIONS, ...overrides };
  const counts = new Map<string, { n: number; r: number }>();
  let examples = 0;
  let recurred = 0;
  for (const events of source()) {
    const h = cutHistory(events, options, params);
    for (const k of h?.keywords ?? []) {
      const y = recurs(k, h!.later) ? 1 : 0;
      const c = counts.get(k.key) ?? { n: 0, r: 0 };
      c.n++;
      c.r += y;
      counts.set(k.key, c);
      examples++;
      recurred += y;
    }
  }
  const mean = examples > 0 ? recurred / examples : 0.5;
  const strength = options.priorStrength;
  const stride = Math.max(1, Math.ceil(examples / options.maxExamples));
  const x: number[][] = [];
  const y: number[] = [];
  let u = 0;
  for (const events of source()) {
    if (u++ % stride !== 0) continue;
    const h = cutHistory(events, options, params);
    for (const k of h?.keywords ?? []) {
      const label = recurs(k, h!.later) ? 1 : 0;
      const c = counts.get(k.key)!;
      const loo = shrunkRate(c.r - label, c.n - 1, mean, strength);
      x.push(useFeatures(k, h!.sessionOf, logit(loo) - logit(mean)));
      y.push(label);
    }
  }
  const fit = x.length > 0 ? fitLogisticRegression(x, y, { l2: 1e-4 }) : undefined;
  const kept = [...counts].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1)).slice(0, options.maxKeys);
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  return new KeywordRecurrence({
    mean: round(mean),
    examples,
    priorStrength: strength,
    keys: kept.map(([key]) => key),
    rates: kept.map(([, c]) => round(shrunkRate(c.r, c.n, mean, strength))),
    intercept: round(fit?.intercept ?? logit(mean)),
    weights: (fit?.weights ?? USE_FEATURES.map(() => 0)).map(round),
  });
}
