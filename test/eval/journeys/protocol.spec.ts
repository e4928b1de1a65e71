import {
  addBudgetUse,
  emptyBudgetUse,
  INTERESTS_LISTED_ELSEWHERE,
  INTERESTS_LISTED_NOWHERE,
  tokenUses,
} from './budget';
import { pairedBootstrap, quantile } from './bootstrap';
import { hit, ndcg, setScores } from './metrics';
import { nextSessions, splitHistory } from './split';
import { resolveJourneyParams } from '../../../src/modules/journeys/domain/journey-params';
import { RawEvent } from '../../../src/lib/synthetic/population';
import { TaskLabel } from './aol';
import { buildShape, evaluateFuture, FutureOptions } from './future';
import { evaluateTasks, groupBySharedWords } from './tasks';
import { prepareUsers } from './users';
import { authoredTokens, hindsightTokens, interestTokens, journeyTokens } from './tokens';

const at = (...times: number[]) => times.map((t) => ({ at: t }));

const search = (id: string, at: string, query: string): RawEvent => ({
  id,
  userId: 'u',
  type: 'search',
  occurredAt: at,
  query,
});

/** Two sessions two months apart, one task of three searches each (a January task long finished). */
const twoTasks = [
  ...[0, 5, 10].map((m, i) => search(`a${i}`, `2026-01-05T10:${10 + m}:00Z`, 'sourdough starter')),
  ...[0, 5, 10].map((m, i) => search(`b${i}`, `2026-03-05T10:${10 + m}:00Z`, 'tide tables')),
];

describe('splitHistory', () => {
  it('cuts at the share of events', () => {
    const { early, later } = splitHistory(at(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.7);
    expect(early.map((e) => e.at)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(later.map((e) => e.at)).toEqual([8, 9, 10]);
  });

  it('never splits events of one instant and moves to the nearest boundary', () => {
    expect(splitHistory(at(1, 2, 5, 5, 5, 9), 0.5)).toEqual({ early: at(1, 2), later: at(5, 5, 5, 9) });
    expect(splitHistory(at(1, 5, 5, 5, 5, 9), 0.7)).toEqual({ early: at(1, 5, 5, 5, 5), later: at(9) });
  });

  it('keeps a history of one instant, or of one event, in the early part', () => {
    expect(splitHistory(at(3, 3, 3), 0.5)).toEqual({ early: at(3, 3, 3), later: [] });
    expect(splitHistory(at(3), 0.5)).toEqual({ early: at(3), later: [] });
  });
});

describe('nextSessions', () => {
  it('keeps the first sessions of the later part', () => {
    const events = at(0, 10, 100, 105, 300, 301);
    expect(nextSessions(events, 1, 20)).toEqual(at(0, 10));
    expect(nextSessions(events, 2, 20)).toEqual(at(0, 10, 100, 105));
    expect(nextSessions(events, 9, 20)).toEqual(events);
  });
});

describe('metrics (hand-computed)', () => {
  const truth = new Set(['a', 'b', 'c', 'd']);

  it('precision, recall and F1 of distinct tokens', () => {
    // 2 of 3 predicted are true; 2 of 4 true are predicted: P 2/3, R 1/2, F1 = 2PR/(P+R) = 4/7.
    const s = setScores(['a', 'x', 'b', 'a'], truth);
    expect(s.precision).toBeCloseTo(2 / 3);
    expect(s.recall).toBeCloseTo(0.5);
    expect(s.f1).toBeCloseTo(4 / 7);
    expect(setScores([], truth)).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('hit rate', () => {
    expect(hit(['x', 'c'], truth)).toBe(1);
    expect(hit(['x', 'y'], truth)).toBe(0);
  });

  it('nDCG against the best list of the same length', () => {
    // Relevant at ranks 2 and 3: DCG = 1/log2(3) + 1/log2(4); ideal for 3 slots = 1 + 1/log2(3) + 1/2.
    const expected = (1 / Math.log2(3) + 0.5) / (1 + 1 / Math.log2(3) + 0.5);
    expect(ndcg(['x', 'a', 'b'], truth)).toBeCloseTo(expected);
    expect(ndcg(['a', 'b'], truth)).toBeCloseTo(1);
    // Only two truths: the ideal of a 3-long list holds two.
    expect(ndcg(['x', 'a', 'b'], new Set(['a', 'b']))).toBeCloseTo((1 / Math.log2(3) + 0.5) / (1 + 1 / Math.log2(3)));
    expect(ndcg([], truth)).toBe(0);
  });
});

describe('pairedBootstrap', () => {
  it('gives an exact interval for a constant per-user difference', () => {
    const a = [0.5, 0.2, 0.9, 0.4];
    const c = pairedBootstrap(
      a,
      a.map((x) => x - 0.1),
      { samples: 200, seed: 1, alpha: 0.05 },
    );
    expect(c.diff).toBeCloseTo(0.1);
    expect(c.diffLow).toBeCloseTo(0.1);
    expect(c.diffHigh).toBeCloseTo(0.1);
    expect(c.lift).toBeCloseTo(2 / 1.6 - 1);
  });

  it('covers zero when neither method is better, and is reproducible for a seed', () => {
    const a = [1, 0, 1, 0, 1, 0, 1, 0];
    const b = [0, 1, 0, 1, 0, 1, 0, 1];
    const c = pairedBootstrap(a, b, { samples: 500, seed: 3, alpha: 0.05 });
    expect(c.diff).toBe(0);
    expect(c.diffLow).toBeLessThan(0);
    expect(c.diffHigh).toBeGreaterThan(0);
    expect(pairedBootstrap(a, b, { samples: 500, seed: 3, alpha: 0.05 })).toEqual(c);
  });

  it('interpolates quantiles', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3], 0.5)).toBe(2);
  });
});

describe('tokens', () => {
  it("takes the user's own words (query, board, annotations), not titles or categories", () => {
    expect(
      authoredTokens({
        query: 'Kitchen Cabinets',
        board: { name: 'dream kitchen' },
        item: { id: 'i', title: 'Brass Hardware', annotations: ['open shelving'], categories: ['home'] },
      }).sort(),
    ).toEqual(['cabinet', 'dream', 'kitchen', 'open', 'shelving']);
  });

  it('journey tokens follow rank and keyword order, once each', () => {
    const journeys = [
      { keywords: [{ text: 'kitchen cabinets' }, { text: 'kitchen' }] },
      { keywords: [{ text: 'tide' }] },
    ];
    expect(journeyTokens(journeys)).toEqual(['kitchen', 'cabinet', 'tide']);
  });

  it('the interest baseline takes the most frequent tokens, ties to the more recent', () => {
    const early = [
      { at: 1, tokens: ['a', 'b'] },
      { at: 2, tokens: ['a', 'c'] },
      { at: 3, tokens: ['c', 'd'] },
    ];
    expect(interestTokens(early, 3)).toEqual(['c', 'a', 'd']);
    expect(interestTokens(early, 0)).toEqual([]);
  });

  it('the hindsight bound takes the earlier tokens that recur first, then the baseline order', () => {
    const early = [
      { at: 1, tokens: ['a', 'b'] },
      { at: 2, tokens: ['a', 'c'] },
      { at: 3, tokens: ['c', 'd'] },
    ];
    expect(hindsightTokens(early, new Set(['b', 'd', 'z']), 3)).toEqual(['d', 'b', 'c']);
    expect(hindsightTokens(early, new Set(['z']), 2)).toEqual(['c', 'a']);
  });
});

describe('groupBySharedWords', () => {
  it('joins items that share a token, transitively', () => {
    const groups = groupBySharedWords([
      { tokens: ['a', 'b'] },
      { tokens: ['c'] },
      { tokens: ['b', 'd'] },
      { tokens: ['d'] },
    ]);
    expect(groups[0]).toBe(groups[2]);
    expect(groups[2]).toBe(groups[3]);
    expect(groups[1]).not.toBe(groups[0]);
  });
});

describe('evaluateTasks', () => {
  it('scores the journeys kept at the end and those the user had right after each session', () => {
    // Two labelled sessions two months apart, one task each; with room for one journey only the ongoing one stays.
    const raw = twoTasks;
    const labels = new Map<string, TaskLabel>(
      raw.map((e) => [e.id, { userId: 'u', session: e.id[0], task: `${e.id[0]}-task` }]),
    );
    const scores = evaluateTasks(prepareUsers(raw), labels, resolveJourneyParams({ maxJourneys: 1 }));
    const f1 = (method: string) => scores.find((s) => s.method === method)!.f1;
    // At the end only the recent task is a journey: the early session's queries are three groups of one, so
    // B-cubed precision is 1 and recall (3 x 1/3 + 3 x 1) / 6 = 2/3, F1 = 2 x 2/3 / (1 + 2/3) = 0.8.
    expect(f1('journeys')).toBeCloseTo(0.8, 5);
    expect(f1('journeys after the session')).toBeCloseTo(1, 5);
    expect(f1('one group per session')).toBeCloseTo(1, 5);
  });
});

describe('budget use (hand-computed)', () => {
  it('counts each journey token once under its journey, and the baseline tokens the journeys left out', () => {
    const use = emptyBudgetUse();
    const journeys = [
      { stage: 'ongoing', basis: 'cluster', keywords: [{ text: 'film noir' }, { text: 'noir' }] },
      { stage: 'ended', keywords: [{ text: 'heist' }, { text: 'noir' }] },
    ];
    addBudgetUse(use, journeys, ['noir', 'pixar', 'oscar'], new Set(['noir', 'heist', 'pixar']));
    addBudgetUse(
      use,
      [{ stage: 'ongoing', basis: 'strongest-keywords', keywords: [{ text: 'anime' }] }],
      [],
      new Set(),
    );
    expect(use.builds).toBe(2);
    expect(Object.fromEntries(use.rows)).toEqual({
      'journeys: rank 1  ongoing': { tokens: 2, found: 1, earlierUses: 0 },
      'journeys: rank 2+ ended': { tokens: 1, found: 1, earlierUses: 0 },
      'interests: tokens the journeys did not list': { tokens: 2, found: 1, earlierUses: 0 },
      'journeys: strongest keywords (sparse user)': { tokens: 1, found: 0, earlierUses: 0 },
    });
  });

  it("tells the baseline's tokens that a journey beyond the budget lists from those no journey lists", () => {
    const use = emptyBudgetUse();
    const early = [{ tokens: ['rock', 'noir'] }, { tokens: ['rock'] }, { tokens: ['pixar', 'rock'] }];
    const context = { listedByAny: new Set(['noir', 'pixar']), earlierUses: tokenUses(early) };
    const top = [{ stage: 'ongoing', keywords: [{ text: 'noir' }] }];
    addBudgetUse(use, top, ['rock', 'pixar', 'noir'], new Set(['rock', 'noir']), context);
    expect(Object.fromEntries(use.rows)).toEqual({
      'journeys: rank 1  ongoing': { tokens: 1, found: 1, earlierUses: 1 },
      [INTERESTS_LISTED_ELSEWHERE]: { tokens: 1, found: 0, earlierUses: 1 },
      [INTERESTS_LISTED_NOWHERE]: { tokens: 1, found: 1, earlierUses: 3 },
    });
  });
});

const options = (stages?: string[]): FutureOptions => ({
  cuts: [6 / 9],
  horizonSessions: 3,
  ks: [3],
  minEvents: 5,
  params: resolveJourneyParams({}),
  stages,
});

describe('evaluateFuture', () => {
  // The next day's session continues the latest task: the first 6 of 9 events build, the rest is the truth.
  const users = prepareUsers([
    ...twoTasks,
    ...[0, 5, 10].map((m, i) => search(`c${i}`, `2026-03-06T10:${10 + m}:00Z`, 'tide tables')),
  ]);

  it('scores what a notification may be about by default: the ongoing journey, not the ended one', () => {
    const result = evaluateFuture(users, options());
    const [atK] = result.atK;
    // The ongoing journey {tide, table} against a truth of {tide, table}; the baseline's two most frequent
    // tokens (ties go to the more recent) are the same two. The ended {sourdough, starter} is left out.
    expect(atK.budget).toEqual([2]);
    expect(atK.journeys.f1).toEqual([1]);
    expect(atK.interests.f1).toEqual([1]);
    expect([...result.budgetUse.rows.keys()]).toEqual(['journeys: rank 1  ongoing']);
    expect(Object.fromEntries(result.byShape)).toEqual({
      '1 journey': { builds: 1, tokens: 2, journeys: { f1: 1, hit: 1 }, interests: { f1: 1, hit: 1 } },
    });
  });

  it('scores only journeys of the given stages, and gives the baseline the same budget', () => {
    // The baseline's two most frequent tokens (ties go to the more recent) are the last session's words.
    const ongoing = evaluateFuture(users, options(['ongoing'])).atK[0];
    expect(ongoing.budget).toEqual([2]);
    expect(ongoing.journeys.f1).toEqual([1]);
    expect(ongoing.interests.f1).toEqual([1]);
    const ended = evaluateFuture(users, options(['ended'])).atK[0];
    expect(ended.budget).toEqual([2]);
    expect(ended.journeys.f1).toEqual([0]);
    expect(ended.interests.f1).toEqual([1]);
  });

  it('counts a user with no journey of the given stages as an empty budget for both methods', () => {
    const result = evaluateFuture(users, options(['no-such-stage']));
    expect(result.withoutJourneys).toBe(1);
    expect(result.atK[0].budget).toEqual([0]);
    expect(result.atK[0].journeys.f1).toEqual([0]);
    expect(result.atK[0].interests.f1).toEqual([0]);
  });
});

describe(buildShape.name, () => {
  it.each([
    [[], 'no journey'],
    [[{ basis: 'cluster' }], '1 journey'],
    [[{ basis: 'cluster' }, {}], '2 journeys'],
    [[{ basis: 'cluster' }, { basis: 'strongest-keywords' }], 'a sparse user: strongest keywords'],
  ])('names the shape of %j', (journeys, shape) => expect(buildShape(journeys)).toBe(shape));
});
