import { TokenBudget } from './judge-budget';
import { judgeCacheKey } from './judge-key';
import { JUDGE_PROMPT_VERSION } from './judge-prompt';
import { ActivitySummary } from './judge-types';
import { SeededSample } from './sampling';

describe('SeededSample', () => {
  const ids = Array.from({ length: 500 }, (_, i) => `user-${i}`);
  const sample = (size: number, seed: string, from = ids) => {
    const s = new SeededSample(size, seed);
    from.forEach((id) => s.offer(id));
    return s.ids();
  };

  it('picks the same users whatever order they stream in', () => {
    expect(sample(20, 'a')).toEqual(sample(20, 'a', [...ids].reverse()));
    expect(new Set(sample(20, 'a')).size).toBe(20);
  });

  it('changes with the seed, and a smaller sample is a prefix of a larger one', () => {
    expect(sample(20, 'a')).not.toEqual(sample(20, 'b'));
    expect(sample(50, 'a').slice(0, 20)).toEqual(sample(20, 'a'));
  });

  it('keeps the users of a run that still carry them', () => {
    // Users that leave the run (rebuilt since) are replaced; those that stay are still sampled.
    const kept = sample(20, 'a');
    const fewer = ids.filter((id) => id !== kept[0]);
    expect(sample(20, 'a', fewer).slice(0, 19)).toEqual(kept.slice(1));
  });

  it('returns everyone when the population is small', () => {
    expect(sample(10, 'a', ['x', 'y']).sort()).toEqual(['x', 'y']);
  });
});

describe('TokenBudget', () => {
  it('reserves estimates, settles real usage and refuses what would overshoot', () => {
    const budget = new TokenBudget(1000);
    const first = budget.tryReserve(600)!;
    expect(budget.tryReserve(500)).toBeUndefined();
    expect(budget.exhausted).toBe(true);
    budget.settle(first, 250);
    expect(budget.spent).toBe(250);
    expect(budget.tryReserve(700)).toBeDefined();
    expect(TokenBudget.estimate(300, 100)).toBe(200);
  });

  it('allows nothing with a zero budget', () => {
    expect(new TokenBudget(0).tryReserve(1)).toBeUndefined();
  });
});

describe('judgeCacheKey', () => {
  const activity: ActivitySummary = { windowDays: 90, events: 3, activeDays: 1, keywords: [] };
  const journeys = [
    {
      name: 'Tile',
      rank: 1,
      keywords: ['tile'],
      type: 'situational' as const,
      stage: 'ongoing' as const,
      confidence: 0.5,
      lastActive: 'today' as const,
    },
  ];
  const key = judgeCacheKey(activity, journeys, JUDGE_PROMPT_VERSION, 'gpt-4o-mini');

  it('is the same for the same prompt data, model and prompt version', () => {
    expect(judgeCacheKey({ ...activity }, [...journeys], JUDGE_PROMPT_VERSION, 'gpt-4o-mini')).toEqual(key);
  });

  it.each([
    ['the activity', judgeCacheKey({ ...activity, events: 4 }, journeys, JUDGE_PROMPT_VERSION, 'gpt-4o-mini')],
    [
      'the journeys',
      judgeCacheKey(activity, [{ ...journeys[0], stage: 'ended' }], JUDGE_PROMPT_VERSION, 'gpt-4o-mini'),
    ],
    ['the prompt version', judgeCacheKey(activity, journeys, 'judge-v2', 'gpt-4o-mini')],
    ['the model', judgeCacheKey(activity, journeys, JUDGE_PROMPT_VERSION, 'gpt-4o')],
  ])('changes with %s', (_what, other) => {
    expect(other.key).not.toBe(key.key);
  });
});
