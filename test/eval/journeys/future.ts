import { buildRankedJourneys } from '../../../src/modules/cli/journeys-build/user-lines';
import { JourneyParams } from '../../../src/modules/journeys/domain/journey-params';
import { journeysToNotify } from '../../../src/modules/journeys/domain/notification-journeys';
import { chooseEmbedder } from '../../../src/modules/journeys/domain/embedder-choice';
import {
  DEFAULT_TRAINING_OPTIONS,
  PlatformTrainingOptions,
  trainPlatformEmbedder,
} from '../../../src/modules/journeys/domain/platform-training';
import { addBudgetUse, BudgetUse, emptyBudgetUse, tokenUses } from './budget';
import { hit, ndcg, setScores } from './metrics';
import { nextSessions, splitHistory } from './split';
import { hindsightTokens, interestTokens, journeyTokens } from './tokens';
import { EvalUser } from './users';

export const FUTURE_METRICS = ['hit', 'ndcg', 'precision', 'recall', 'f1'] as const;
export type FutureMetric = (typeof FUTURE_METRICS)[number];

/** Per-user values of every metric at one k, for journeys and for the interest baseline (same order of users). */
export interface FutureAtK {
  k: number;
  journeys: Record<FutureMetric, number[]>;
  interests: Record<FutureMetric, number[]>;
  /** Tokens per user (the shared budget). */
  budget: number[];
  /** F1 per user of the best choice of the user's own earlier words at the same budget, known in hindsight. */
  hindsightF1: number[];
}

export interface FutureResult {
  users: number;
  /** Builds (user x cut) scored, and those whose early part gave no journey (both methods score 0 there). */
  builds: number;
  withoutJourneys: number;
  /** Vocabulary of the embedder trained at each cut, marked when too thin to cluster with. */
  vocabularies: string[];
  atK: FutureAtK[];
  /** Where the budget at k = `budgetK` went, by journey rank, stage and basis, next to the baseline's own picks. */
  budgetK: number;
  budgetUse: BudgetUse;
  /** At k = `budgetK`, builds by their shape (a sparse user's thin journey, or how many journeys the budget took). */
  byShape: Map<string, ShapeRow>;
}

/** Builds of one shape at k = `budgetK`: their count, shared budget, and both methods' F1 and hit summed. */
export interface ShapeRow {
  builds: number;
  tokens: number;
  journeys: { f1: number; hit: number };
  interests: { f1: number; hit: number };
}

/** The shape a build's top-k journeys give it: a sparse user's thin journey, none, or how many journeys. */
export function buildShape(journeys: ReadonlyArray<{ basis?: string }>): string {
  if (journeys.some((j) => j.basis === 'strongest-keywords')) return 'a sparse user: strongest keywords';
  if (journeys.length === 0) return 'no journey';
  return journeys.length === 1 ? '1 journey' : `${journeys.length} journeys`;
}

export interface FutureOptions {
  /** Where each user's history is cut (shares of their events); each cut is one build, averaged per user. */
  cuts: readonly number[];
  /** The truth is the later activity of this many sessions after the cut; 0 for all later activity. */
  horizonSessions: number;
  ks: readonly number[];
  /** Users with fewer events in their whole history are left out. */
  minEvents: number;
  params: JourneyParams;
  training?: Partial<PlatformTrainingOptions>;
  /**
   * Score only journeys of these stages, as a campaign whose audience names them sends them (ongoing: what the
   * user is working towards); a user with none gets no tokens, and the baseline the same empty budget.
   */
  stages?: readonly string[];
}

type Sums = Record<FutureMetric, number>;
const zero = (): Sums => ({ hit: 0, ndcg: 0, precision: 0, recall: 0, f1: 0 });

function score(predicted: readonly string[], truth: ReadonlySet<string>): Sums {
  return { hit: hit(predicted, truth), ndcg: ndcg(predicted, truth), ...setScores(predicted, truth) };
}

function addInto(into: Sums, values: Sums): void {
  for (const m of FUTURE_METRICS) into[m] += values[m];
}

/**
 * Later engagement. Each user's history is cut in time, at every cut in `cuts`; at each cut an embedder is
 * trained on every user's early part only, the user's journeys are built from their early part and ranked by
 * the same code as `journeys build`, and the keyword tokens of the top-k journeys a notification may be about
 * (`journeysToNotify`, as campaigns pick their subjects) are scored against the tokens of
 * the next sessions, next to the user's most frequent tokens at exactly the same budget. A user's value is
 * the mean over their cuts, so users weigh equally in the bootstrap whatever their history length.
 */
export function evaluateFuture(users: readonly EvalUser[], options: FutureOptions): FutureResult {
  const eligible = users.filter((u) => u.events.length >= options.minEvents);
  const gapMs = options.params.sessionGapMinutes * 60_000;
  const perUser = eligible.map(() => ({
    cuts: 0,
    journeys: options.ks.map(zero),
    interests: options.ks.map(zero),
    budget: options.ks.map(() => 0),
    hindsight: options.ks.map(() => 0),
  }));
  const vocabularies: string[] = [];
  let builds = 0;
  let withoutJourneys = 0;
  const budgetK = options.ks.includes(3) ? 3 : options.ks[options.ks.length - 1];
  const budgetUse = emptyBudgetUse();
  const byShape = new Map<string, ShapeRow>();
  for (const fraction of options.cuts) {
    const splits = eligible.map((user) => {
      const { early, later } = splitHistory(user.events, fraction);
      const window = options.horizonSessions > 0 ? nextSessions(later, options.horizonSessions, gapMs) : later;
      return { user, early, truth: new Set(window.flatMap((e) => e.tokens)) };
    });
    const model = trainPlatformEmbedder(() => splits.map((s) => s.early.map((e) => e.extracted)), options.training);
    const { embedder, kind } = chooseEmbedder(model, { ...DEFAULT_TRAINING_OPTIONS, ...options.training });
    vocabularies.push(`${model.vocab.length}${kind === 'lexical' ? ' (lexical)' : ''}`);
    splits.forEach(({ user, early, truth }, u) => {
      if (early.length === 0 || truth.size === 0) return;
      const now = new Date(early[early.length - 1].at);
      const events = early.map((e) => e.extracted);
      const built = buildRankedJourneys(user.userId, events, { now, embedder, params: options.params });
      // What a notification would be about: the ongoing journeys in rank order, ended ones when none is ongoing.
      const ranked = journeysToNotify(options.stages ? built.filter((j) => options.stages!.includes(j.stage)) : built);
      builds++;
      if (ranked.length === 0) withoutJourneys++;
      const acc = perUser[u];
      acc.cuts++;
      options.ks.forEach((k, i) => {
        const predicted = journeyTokens(ranked.slice(0, k));
        acc.budget[i] += predicted.length;
        addInto(acc.journeys[i], score(predicted, truth));
        addInto(acc.interests[i], score(interestTokens(early, predicted.length), truth));
        acc.hindsight[i] += setScores(hindsightTokens(early, truth, predicted.length), truth).f1;
        if (k === budgetK) {
          const interests = interestTokens(early, predicted.length);
          const context = { listedByAny: new Set(journeyTokens(built)), earlierUses: tokenUses(early) };
          addBudgetUse(budgetUse, ranked.slice(0, k), interests, truth, context);
          const shape = buildShape(ranked.slice(0, k));
          const row = byShape.get(shape) ?? {
            builds: 0,
            tokens: 0,
            journeys: { f1: 0, hit: 0 },
            interests: { f1: 0, hit: 0 },
          };
          row.builds++;
          row.tokens += predicted.length;
          row.journeys.f1 += setScores(predicted, truth).f1;
          row.journeys.hit += hit(predicted, truth);
          row.interests.f1 += setScores(interests, truth).f1;
          row.interests.hit += hit(interests, truth);
          byShape.set(shape, row);
        }
      });
    });
  }
  const scored = perUser.filter((p) => p.cuts > 0);
  const atK = options.ks.map((k, i): FutureAtK => {
    const column = (pick: (p: (typeof scored)[number]) => Sums) =>
      Object.fromEntries(FUTURE_METRICS.map((m) => [m, scored.map((p) => pick(p)[m] / p.cuts)])) as Record<
        FutureMetric,
        number[]
      >;
    return {
      k,
      journeys: column((p) => p.journeys[i]),
      interests: column((p) => p.interests[i]),
      budget: scored.map((p) => p.budget[i] / p.cuts),
      hindsightF1: scored.map((p) => p.hindsight[i] / p.cuts),
    };
  });
  return { users: scored.length, builds, withoutJourneys, vocabularies, atK, budgetK, budgetUse, byShape };
}
