import { tightKeywords } from './keyword-list';
import {
  countAbove,
  KeywordRecurrence,
  RecurrenceJson,
  shrunkRate,
  useFeatures,
  wholeHistoryContext,
} from './keyword-recurrence';
import { cutIndex, trainKeywordRecurrence } from './recurrence-training';
import { ExtractedEvent } from './keywords';
import { userKeyword } from './testing/keywords.fixture';
import { UserKeyword } from './user-keywords';

const DAY = 86_400_000;

/** One event a day, each tagged with the given words (a fresh filler word when none). */
function history(user: number, tags: ReadonlyArray<readonly string[]>): ExtractedEvent[] {
  return tags.map((words, day) => ({
    at: day * DAY,
    type: 'view',
    mentions: (words.length > 0 ? words : [`filler${user}x${day}`]).map((key) => ({
      key,
      surface: key,
      source: 'annotation' as const,
      whole: true as const,
    })),
  }));
}

// Ten daily events cut at 7: "noir" is used twice before the cut by four users and again after it by three;
// "oscar" twice before by two users and never again. Fillers are used once (below minKeywordEvents).
const before = (extra: string[]) => [['noir', ...extra], ['noir', ...extra], [], [], [], [], []];
const HISTORIES = [
  history(1, [...before(['oscar']), ['noir'], [], []]),
  history(2, [...before(['oscar']), [], ['noir'], []]),
  history(3, [...before([]), [], [], ['noir']]),
  history(4, [...before([]), [], [], []]),
];

const model = (overrides: Partial<RecurrenceJson> = {}) =>
  new KeywordRecurrence({
    mean: 0.5,
    examples: 6,
    priorStrength: 2,
    keys: ['noir'],
    rates: [0.75],
    intercept: 0,
    weights: [1, 0, 0, 0],
    ...overrides,
  });

describe('keyword recurrence', () => {
  it('shrinks a rate toward the mean by the prior strength', () => {
    expect(shrunkRate(3, 4, 0.2, 20)).toBeCloseTo(7 / 24, 10);
    expect(shrunkRate(0, 0, 0.2, 20)).toBe(0.2);
    expect(shrunkRate(50, 100, 0.2, 0)).toBe(0.5);
  });

  it('cuts a history at a distinct instant at or after the share', () => {
    const at = (...t: number[]) => t.map((x) => ({ at: x }));
    expect(cutIndex(at(1, 2, 3, 4), 0.5)).toBe(2);
    expect(cutIndex(at(1, 2, 2, 3), 0.5)).toBe(3);
    expect(cutIndex(at(5, 5, 5), 0.5)).toBe(-1);
  });

  it('estimates per-keyword rates from internal cuts and shrinks them to the platform mean', () => {
    const learnt = trainKeywordRecurrence(() => HISTORIES, { priorStrength: 2 });
    const json = learnt.toJSON();
    expect(json.examples).toBe(6);
    expect(json.mean).toBe(0.5);
    expect(json.keys).toEqual(['noir', 'oscar']);
    expect(json.users).toEqual([4, 2]);
    expect(learnt.users('noir')).toBe(4);
    expect(learnt.users('unseen')).toBe(1);
    // noir: (3 + 2 x 0.5) / (4 + 2); oscar: (0 + 1) / (2 + 2); an unknown keyword gets the mean.
    expect(learnt.propensity('noir')).toBeCloseTo(0.6667, 4);
    expect(learnt.propensity('oscar')).toBe(0.25);
    expect(learnt.propensity('unseen')).toBe(0.5);
    expect(json.weights.every(Number.isFinite)).toBe(true);
  });

  it('fits the model on a sample of whole users when the examples outgrow the bound, counting every user', () => {
    const many = Array.from({ length: 8 }, (_, i) => HISTORIES[i % HISTORIES.length]);
    const sampled = trainKeywordRecurrence(() => many, { priorStrength: 2, maxExamples: 4 }).toJSON();
    const whole = trainKeywordRecurrence(() => many, { priorStrength: 2 }).toJSON();
    // Rates come from every user either way; only the logistic model sees fewer examples.
    expect(sampled.examples).toBe(12);
    expect(sampled.rates).toEqual(whole.rates);
    expect(sampled.weights.every(Number.isFinite)).toBe(true);
  });

  it('describes a keyword by its events, sessions, sessions since last use, propensity lift and users', () => {
    // Sessions 0,0,1,2,3; the keyword is in events 0 and 2, last in session 1, two sessions before the last.
    const x = useFeatures(userKeyword('noir', { events: [0, 2] }), wholeHistoryContext([0, 0, 1, 2, 3]), {
      lift: 0.5,
      users: 7,
    });
    expect(x).toEqual([Math.log(2), Math.log(2), Math.log(3), 0.5, Math.log(7)]);
  });

  it("counts sessions since last use on the keyword's own journey only", () => {
    // Sessions 0..5; the journey met the user in sessions 0, 1 and 4; the other sessions were elsewhere.
    const context = { sessionOf: [0, 1, 2, 3, 4, 5], journeySessions: [0, 1, 4] };
    expect(useFeatures(userKeyword('noir', { events: [0, 1] }), context, { lift: 0, users: 1 })[2]).toBeCloseTo(
      Math.log(2),
      10,
    );
    expect(useFeatures(userKeyword('noir', { events: [4] }), context, { lift: 0, users: 1 })[2]).toBe(0);
    expect(countAbove([0, 1, 4], 1)).toBe(1);
    expect(countAbove([0, 1, 4], -1)).toBe(3);
    expect(countAbove([], 2)).toBe(0);
  });

  it('turns the features into a probability of use', () => {
    const k = userKeyword('other', { events: [0, 1, 2] });
    // sigmoid(log 3) = 3 / 4 with a weight of 1 on log events.
    expect(model().useProbability(k, wholeHistoryContext([0, 1, 2]))).toBeCloseTo(0.75, 10);
    // A propensity of 0.75 over a mean of 0.5 is a lift of log 3: sigmoid(log 3) again.
    const prior = model({ weights: [0, 0, 0, 1] });
    expect(prior.useProbability(userKeyword('noir', { events: [0] }), wholeHistoryContext([0]))).toBeCloseTo(0.75, 10);
    expect(prior.useProbability(userKeyword('other', { events: [0] }), wholeHistoryContext([0]))).toBeCloseTo(0.5, 10);
  });

  it('lets a journey list the keywords the user is likelier to use again first, and drop unlikely ones', () => {
    const params = {
      minKeywordShare: 0.15,
      maxKeywords: 8,
      subsumedShare: 0.8,
      minKeywordEvents: 1,
      minKeywordUse: 0.5,
      keepKeywordShare: 1,
    };
    const members = [
      userKeyword('oscar', { weight: 3, events: [0, 1, 2] }),
      userKeyword('noir', { weight: 2, events: [3, 4] }),
      userKeyword('heist', { weight: 2, events: [5, 6] }),
    ];
    const use = new Map([
      ['oscar', 0.1],
      ['noir', 0.6],
      ['heist', 0.4],
    ]);
    // Events 0-6: oscar in sessions 0 and 1, noir in 1 and 2, heist in 2 and 3.
    const choice = { useOf: (k: UserKeyword) => use.get(k.key)!, sessionOf: [0, 0, 1, 1, 2, 2, 3] };
    const listed = tightKeywords(members, params, choice);
    expect(listed.map((k) => k.key)).toEqual(['heist', 'noir']);
    // A keyword with strong support stays listed however unlikely the model finds it.
    const kept = tightKeywords(members, { ...params, keepKeywordShare: 0.5 }, choice);
    expect(kept.map((k) => k.key)).toEqual(['oscar', 'heist', 'noir']);
    // A likely keyword never used in a session with the likeliest (noir, sessions 1-2) is not listed.
    const apart = tightKeywords(members, params, { ...choice, sessionOf: [0, 0, 1, 1, 2, 3, 3] });
    expect(apart.map((k) => k.key)).toEqual(['noir']);
    expect(tightKeywords(members, { ...params, minKeywordUse: 0 }).map((k) => k.key)).toEqual([
      'oscar',
      'heist',
      'noir',
    ]);
  });
});
