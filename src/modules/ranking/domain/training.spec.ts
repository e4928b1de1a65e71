import { FEATURE_NAMES } from './features';
import { sigmoid } from './logistic-regression';
import { RankingError } from './ranking.errors';
import { parseRankingModel } from './scoring';
import { seededRandom } from './testing/journeys.fixture';
import { TrainingExample } from './training-example';
import { trainRankingModel } from './training';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY_MS = 86_400_000;

/** Examples whose label depends on two features only: recent engagement up, staleness down. */
function plantedExamples(seed: number, n: number): TrainingExample[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const features = Object.fromEntries(FEATURE_NAMES.map((name) => [name, random()]));
    features.decayed_30d_log = random() * 3;
    features.days_since_last_log = random() * 4;
    const p = sigmoid(-0.5 + 1.5 * features.decayed_30d_log - 1.2 * features.days_since_last_log);
    return {
      userId: `u${i % 50}`,
      journeyName: `j${i % 7}`,
      at: new Date(NOW.getTime() - ((n - i) * DAY_MS) / 10),
      features,
      label: random() < p ? 1 : 0,
    };
  });
}

describe('trainRankingModel', () => {
  const examples = plantedExamples(1, 3000);
  const model = trainRankingModel(examples, { now: NOW });

  it('learns the planted signal and reports it on the latest examples', () => {
    const w = (name: string) => model.weights[model.featureNames.indexOf(name)];
    expect(w('decayed_30d_log')).toBeGreaterThan(0.8);
    expect(w('days_since_last_log')).toBeLessThan(-0.8);
    expect(Math.abs(w('confidence'))).toBeLessThan(0.15);
    const report = model.report!;
    expect(report.validation.auc).toBeGreaterThan(0.8);
    expect(report.validation.auc).toBeGreaterThan(report.priorValidation.auc);
    expect(report.validation.logLoss).toBeLessThan(report.priorValidation.logLoss);
    expect(report.validation.ece).toBeLessThan(0.06);
    expect(report.optimiser.converged).toBe(true);
  });

  it('splits by time: validation holds the latest 15%, calibration the 15% before', () => {
    const report = model.report!;
    expect(report.examples).toEqual({ train: 2100, calibration: 450, validation: 450, annotations: 0 });
    expect(report.splitAt).toEqual([examples[2100].at.toISOString(), examples[2550].at.toISOString()]);
  });

  it('stores a model that survives JSON and validation', () => {
    expect(parseRankingModel(JSON.parse(JSON.stringify(model)))).toEqual(JSON.parse(JSON.stringify(model)));
    expect(model.version).toBe('lr-20260601T000000Z');
  });

  it('names a model trained within the same second as another by its milliseconds', () => {
    const later = trainRankingModel(examples, { now: new Date(NOW.getTime() + 250) });
    expect(later.version).toBe('lr-20260601T000000.250Z');
  });

  it('is deterministic and independent of input order', () => {
    const shuffled = [...examples].reverse();
    expect(trainRankingModel(shuffled, { now: NOW })).toEqual(model);
  });

  it('keeps notifications sent at the same time in one split, so validation is exactly what was sent from splitAt[1]', () => {
    // A batch of 7 notifications shares its send time; the 85% boundary falls inside a batch.
    const batched = plantedExamples(5, 3000).map((e, i) => ({
      ...e,
      at: new Date(NOW.getTime() - (3000 / 7 - Math.floor(i / 7)) * DAY_MS),
    }));
    const report = trainRankingModel(batched, { now: NOW }).report!;
    const from = (iso: string) => batched.filter((e) => e.at.getTime() >= Date.parse(iso)).length;
    expect(report.examples.validation).toBe(from(report.splitAt[1]));
    expect(report.examples.calibration).toBe(from(report.splitAt[0]) - from(report.splitAt[1]));
    expect(report.validation.examples).toBe(report.examples.validation);
    expect(trainRankingModel([...batched].reverse(), { now: NOW }).report!.examples).toEqual(report.examples);
  });

  it('trains on a subset of features when asked', () => {
    const small = trainRankingModel(examples, { now: NOW, featureNames: ['decayed_30d_log', 'days_since_last_log'] });
    expect(small.weights).toHaveLength(2);
    expect(small.report!.validation.auc).toBeGreaterThan(0.8);
  });

  it('adds human annotations to the training split only', () => {
    const flipped = examples
      .slice(0, 40)
      .map((e) => ({ userId: e.userId, journeyName: e.journeyName, label: (1 - e.label) as 0 | 1 }));
    const withAnnotations = trainRankingModel(examples, { now: NOW, annotationWeight: 2 }, [
      ...flipped,
      { userId: 'nobody', journeyName: 'j1', label: 1 },
    ]);
    const report = withAnnotations.report!;
    expect(report.examples.annotations).toBe(40);
    expect(report.train.examples).toBe(2140);
    expect(report.validation.examples).toBe(450);
    expect(withAnnotations.weights).not.toEqual(model.weights);
  });

  it.each([
    ['too few examples', plantedExamples(2, 10), 'ranking.insufficient-data'],
    ['a single class', plantedExamples(3, 100).map((e) => ({ ...e, label: 0 as const })), 'ranking.insufficient-data'],
    [
      'latest examples of a single class',
      plantedExamples(6, 300).map((e, i) => (i >= 240 ? { ...e, label: 0 as const } : e)),
      'ranking.insufficient-data',
    ],
    [
      'a missing feature',
      plantedExamples(4, 100).map((e) => ({ ...e, features: { events_log: 1 } })),
      'ranking.invalid-example',
    ],
  ])('refuses %s', (_name, bad, code) => {
    expect(() => trainRankingModel(bad, { now: NOW })).toThrow(expect.objectContaining({ code }) as RankingError);
  });
});
