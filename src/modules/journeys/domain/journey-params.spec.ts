import { DEFAULT_JOURNEY_PARAMS, resolveJourneyParams } from './journey-params';

describe('resolveJourneyParams', () => {
  it('returns the defaults without overrides, as a copy', () => {
    const params = resolveJourneyParams();
    expect(params).toEqual(DEFAULT_JOURNEY_PARAMS);
    params.actionWeights.save = 99;
    expect(DEFAULT_JOURNEY_PARAMS.actionWeights.save).toBe(3);
  });

  it('overrides numbers and merges weight maps key by key, ignoring documentation keys', () => {
    const params = resolveJourneyParams({
      maxJourneys: 3,
      actionWeights: { save: 5 },
      $comment: 'x',
      description: 'y',
    });
    expect(params.maxJourneys).toBe(3);
    expect(params.actionWeights).toEqual({ ...DEFAULT_JOURNEY_PARAMS.actionWeights, save: 5 });
  });

  it.each([
    [{ maxJourney: 3 }, /unknown journey parameter "maxJourney"/],
    [{ maxJourneys: '3' }, /must be a number/],
    [{ actionWeights: 2 }, /must be an object/],
  ])('rejects %j', (override, message) => {
    expect(() => resolveJourneyParams(override)).toThrow(message);
  });
});
