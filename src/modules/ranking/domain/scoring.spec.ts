import { FEATURE_NAMES } from './features';
import { priorModel, PRIOR_WEIGHTS } from './prior-model';
import { RankingError } from './ranking.errors';
import { modelMargin, modelProbability, parseRankingModel } from './scoring';

const zeros = () => new Float64Array(FEATURE_NAMES.length);

describe('modelMargin', () => {
  it('standardises each used feature before weighting it', () => {
    const model = {
      ...priorModel(),
      featureNames: ['confidence', 'events_log'],
      standardisation: { mean: [0.5, 1], scale: [0.25, 2] },
      weights: [2, -1],
      intercept: 0.1,
    };
    const x = zeros();
    x[FEATURE_NAMES.indexOf('confidence')] = 1;
    x[FEATURE_NAMES.indexOf('events_log')] = 5;
    expect(modelMargin(model, x)).toBeCloseTo(0.1 + 2 * ((1 - 0.5) / 0.25) - 1 * ((5 - 1) / 2), 12);
  });
});

describe('priorModel', () => {
  it('documents a weight for every named feature and scores an empty journey near 5%', () => {
    const model = priorModel();
    expect(model.featureNames).toEqual([...FEATURE_NAMES]);
    Object.entries(PRIOR_WEIGHTS).forEach(([name, w]) =>
      expect(model.weights[FEATURE_NAMES.indexOf(name as never)]).toBe(w),
    );
    const x = zeros();
    x[FEATURE_NAMES.indexOf('fatigue_engaged_rate')] = 0.5;
    expect(modelProbability(model, x)).toBeCloseTo(0.047, 3);
  });
});

describe('parseRankingModel', () => {
  it('round-trips a model through JSON', () => {
    const model = priorModel();
    expect(parseRankingModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
  });

  const valid = () => JSON.parse(JSON.stringify(priorModel())) as Record<string, unknown>;
  it.each([
    ['format', (m: Record<string, unknown>) => (m.format = 'other'), 'format'],
    ['version', (m: Record<string, unknown>) => (m.version = ''), 'version'],
    ['weights length', (m: Record<string, unknown>) => (m.weights = [1]), 'weights'],
    [
      'scale',
      (m: Record<string, unknown>) => ((m.standardisation as { scale: number[] }).scale[0] = 0),
      'standardisation.scale',
    ],
    ['calibration', (m: Record<string, unknown>) => (m.calibration = { a: 'x', b: 0 }), 'calibration.a'],
    [
      'unknown feature',
      (m: Record<string, unknown>) => ((m.featureNames as string[])[2] = 'shoe_size'),
      'featureNames[2]',
    ],
  ])('rejects a bad %s, naming the field', (_name, corrupt, field) => {
    const m = valid();
    corrupt(m);
    expect(() => parseRankingModel(m)).toThrow(RankingError);
    try {
      parseRankingModel(m);
    } catch (error) {
      expect((error as RankingError).field).toBe(field);
      expect((error as RankingError).code).toBe('ranking.invalid-model');
    }
  });
});
