import { DEFAULT_JOURNEY_PARAMS, JourneyParams } from './journey-params';
import { ExtractedEvent } from './keywords';
import { fitLogisticRegression } from '../../ranking/domain/logistic-regression';
import {
  KeywordRecurrence,
  logit,
  shrunkRate,
  USE_FEATURES,
  useFeatures,
  wholeHistoryContext,
} from './keyword-recurrence';
import { sessionsOf } from './signals';
import { aggregateKeywords, UserKeyword } from './user-keywords';

export interface RecurrenceOptions {
  /** Where each history is cut (share of its events) and how many sessions after the cut count as recurring. */
  splitShare: number;
  horizonSessions: number;
  priorStrength: number;
  /** Keywords kept in the model; the rest get the mean. */
  maxKeys: number;
  /** A keyword is kept only when this many users used it (see PlatformTrainingOptions.minUsers). */
  minUsers: number;
  /** Examples the logistic model is fit on (a sample of whole users beyond this). */
  maxExamples: number;
}

export const DEFAULT_RECURRENCE_OPTIONS: RecurrenceOptions = {
  splitShare: 0.7,
  horizonSessions: 3,
  priorStrength: 20,
  maxKeys: 5000,
  minUsers: 1,
  maxExamples: 200_000,
};

/** The first index of a distinct instant at or after `share` of the events, or -1 when none leaves both parts. */
export function cutIndex(events: readonly { at: number }[], share: number): number {
  const n = events.length;
  for (let i = Math.max(1, Math.round(n * share)); i < n; i++) if (events[i].at !== events[i - 1].at) return i;
  return -1;
}

/** One user's keywords before a cut of their history, and the keys they used in the sessions after it. */
interface CutHistory {
  keywords: UserKeyword[];
  sessionOf: number[];
  later: Set<string>;
}

function cutHistory(
  events: readonly ExtractedEvent[],
  options: RecurrenceOptions,
  params: JourneyParams,
): CutHistory | undefined {
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
  return { keywords, sessionOf: sessionsOf(before, gapMs), later };
}

const NO_PRIOR = { lift: 0, users: 1 };

const recurs = (k: UserKeyword, later: ReadonlySet<string>) => later.has(k.key) || k.variants.some((v) => later.has(v));

/** A training example before its keyword's propensity is known: the user, the keyword, its evidence, the outcome. */
interface PendingExample {
  user: number;
  key: string;
  own: number[];
  label: number;
}

/**
 * Learns keyword recurrence from users' time-ordered histories in one pass: per-keyword counts over every
 * user, and the logistic model's examples from a sample of whole users (every `stride`-th, the stride doubling
 * whenever the sample outgrows `maxExamples`); each example's own outcome is left out of its keyword's
 * propensity. The whole cut history is the keyword's journey here: clustering every history would cost a
 * journey build per user, and a typical user's keywords sit in one or two journeys.
 */
export function trainKeywordRecurrence(
  source: () => Iterable<readonly ExtractedEvent[]>,
  overrides: Partial<RecurrenceOptions> = {},
  params: JourneyParams = DEFAULT_JOURNEY_PARAMS,
): KeywordRecurrence {
  const options = { ...DEFAULT_RECURRENCE_OPTIONS, ...overrides };
  const counts = new Map<string, { n: number; r: number }>();
  let pending: PendingExample[] = [];
  let stride = 1;
  let examples = 0;
  let recurred = 0;
  let user = 0;
  for (const events of source()) {
    const u = user++;
    const h = cutHistory(events, options, params);
    if (!h) continue;
    const sampled = u % stride === 0;
    const context = sampled ? wholeHistoryContext(h.sessionOf) : undefined;
    for (const k of h.keywords) {
      const label = recurs(k, h.later) ? 1 : 0;
      const c = counts.get(k.key) ?? { n: 0, r: 0 };
      c.n++;
      c.r += label;
      counts.set(k.key, c);
      examples++;
      recurred += label;
      if (context) pending.push({ user: u, key: k.key, own: useFeatures(k, context, NO_PRIOR).slice(0, 3), label });
    }
    if (pending.length > options.maxExamples) {
      stride *= 2;
      pending = pending.filter((p) => p.user % stride === 0);
    }
  }
  const mean = examples > 0 ? recurred / examples : 0.5;
  const strength = options.priorStrength;
  const kept = [...counts]
    .filter(([, c]) => c.n >= options.minUsers)
    .sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxKeys);
  const keptKeys = new Set(kept.map(([key]) => key));
  // Users as the served model will know them: the count of a kept keyword, 1 for the rest.
  const x = pending.map(({ key, own, label }) => {
    const c = counts.get(key)!;
    const lift = logit(shrunkRate(c.r - label, c.n - 1, mean, strength)) - logit(mean);
    return [...own, lift, Math.log(keptKeys.has(key) ? c.n : 1)];
  });
  const fit =
    x.length > 0
      ? fitLogisticRegression(
          x,
          pending.map((p) => p.label),
          { l2: 1e-4 },
        )
      : undefined;
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  return new KeywordRecurrence({
    mean: round(mean),
    examples,
    priorStrength: strength,
    keys: kept.map(([key]) => key),
    rates: kept.map(([, c]) => round(shrunkRate(c.r, c.n, mean, strength))),
    users: kept.map(([, c]) => c.n),
    intercept: round(fit?.intercept ?? logit(mean)),
    weights: (fit?.weights ?? USE_FEATURES.map(() => 0)).map(round),
  });
}
