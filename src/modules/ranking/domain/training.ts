import { calibrate, fitPlattCalibration } from './calibration';
import { FEATURE_NAMES } from './features';
import { fitLogisticRegression } from './logistic-regression';
import { auc, calibrationTable, expectedCalibrationError, logLoss } from './metrics';
import { priorModel } from './prior-model';
import { RANKING_MODEL_FORMAT, RankingModel, SplitMetrics, Standardisation } from './ranking-model';
import { RankingError } from './ranking.errors';
import { Annotation, TrainingExample } from './training-example';

export interface TrainingOptions {
  /** Training time, recorded in the report and the default version. */
  now: Date;
  l2?: number;
  maxIterations?: number;
  /** Latest shares of the examples (by time) held out for calibration, then validation. */
  calibrationShare?: number;
  validationShare?: number;
  /** Weight of one human annotation relative to one notification outcome. */
  annotationWeight?: number;
  featureNames?: readonly string[];
  version?: string;
}

export const DEFAULT_TRAINING = {
  l2: 0.01,
  maxIterations: 50,
  calibrationShare: 0.15,
  validationShare: 0.15,
  annotationWeight: 1,
};
const MIN_EXAMPLES = 20;

function vectorOf(example: TrainingExample, names: readonly string[]): number[] {
  return names.map((name) => {
    const value = example.features[name];
    if (value === undefined) {
      throw new RankingError(
        'ranking.invalid-example',
        `example for ${example.userId}/${example.journeyName} lacks feature ${name}`,
        `features.${name}`,
      );
    }
    return value;
  });
}

function standardisation(X: readonly number[][], d: number): Standardisation {
  const mean = Array.from({ length: d }, (_, j) => X.reduce((s, x) => s + x[j], 0) / X.length);
  const scale = mean.map((m, j) => Math.sqrt(X.reduce((s, x) => s + (x[j] - m) ** 2, 0) / X.length) || 1);
  return { mean, scale };
}

/** Metrics of calibrated probabilities against labels. */
export function splitMetrics(probabilities: readonly number[], labels: readonly number[]): SplitMetrics {
  const calibration = calibrationTable(probabilities, labels);
  return {
    examples: labels.length,
    positives: labels.filter((y) => y === 1).length,
    auc: auc(probabilities, labels),
    logLoss: logLoss(probabilities, labels),
    ece: expectedCalibrationError(calibration),
    calibration,
  };
}

/** Human labels join the outcome example of the same (user, journey) closest to the end, reusing its features. */
function annotationExamples(
  annotations: readonly Annotation[],
  examples: readonly TrainingExample[],
): TrainingExample[] {
  const latest = new Map<string, TrainingExample>();
  for (const e of examples) latest.set(`${e.userId}\u0000${e.journeyName}`, e);
  return annotations.flatMap((a) => {
    const match = latest.get(`${a.userId}\u0000${a.journeyName}`);
    return match ? [{ ...match, label: a.label }] : [];
  });
}

/**
 * The first index of the time-sorted examples sent at the same time as the one at `index`: a split starts
 * there, so notifications sent together (one batch) fall in one split, and a split is exactly the examples
 * sent from its first time on (what the promotion gate judges the model in use on).
 */
function timeBoundary(sorted: readonly TrainingExample[], index: number): number {
  let at = index;
  while (at > 0 && at < sorted.length && sorted[at - 1].at.getTime() === sorted[at].at.getTime()) at--;
  return at;
}

/**
 * Trains the point-wise ranker: time-ordered split into train / calibration / validation (notifications
 * sent at one time stay together), L2 logistic regression on standardised features, Platt scaling on the
 * calibration split, and a report measured on the validation split only (the latest examples, as the
 * model will meet the future).
 */
export function trainRankingModel(
  examples: readonly TrainingExample[],
  options: TrainingOptions,
  annotations: readonly Annotation[] = [],
): RankingModel {
  const o = { ...DEFAULT_TRAINING, ...options };
  const names = [...(options.featureNames ?? FEATURE_NAMES)];
  if (examples.length < MIN_EXAMPLES) {
    throw new RankingError(
      'ranking.insufficient-data',
      `need at least ${MIN_EXAMPLES} examples, got ${examples.length}`,
    );
  }
  const sorted = examples
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || a.i - b.i)
    .map((x) => x.e);
  const trainEnd = timeBoundary(sorted, Math.floor(sorted.length * (1 - o.calibrationShare - o.validationShare)));
  const calibrationEnd = timeBoundary(sorted, Math.floor(sorted.length * (1 - o.validationShare)));
  const outcomeTrain = sorted.slice(0, trainEnd);
  const calibrationSet = sorted.slice(trainEnd, calibrationEnd);
  const validationSet = sorted.slice(calibrationEnd);
  // Annotations only train: calibration and validation stay on real notification outcomes.
  const annotated = annotationExamples(annotations, outcomeTrain);
  const train = [...outcomeTrain, ...annotated];
  const positives = train.filter((e) => e.label === 1).length;
  if (positives === 0 || positives === train.length) {
    throw new RankingError('ranking.insufficient-data', 'the training split needs both positive and negative examples');
  }
  if (calibrationSet.length === 0 || validationSet.length === 0) {
    throw new RankingError('ranking.insufficient-data', 'calibration and validation splits must not be empty');
  }
  // An AUC of one class is undefined: no model could be judged, or compared with another, on such a split.
  const validationPositives = validationSet.filter((e) => e.label === 1).length;
  if (validationPositives === 0 || validationPositives === validationSet.length) {
    throw new RankingError(
      'ranking.insufficient-data',
      `the validation split (the latest ${validationSet.length} examples) needs both positive and negative examples`,
    );
  }

  const rawTrain = train.map((e) => vectorOf(e, names));
  const std = standardisation(rawTrain, names.length);
  const z = (x: number[]) => x.map((v, j) => (v - std.mean[j]) / std.scale[j]);
  const sampleWeights = train.map((_, i) => (i < outcomeTrain.length ? 1 : o.annotationWeight));
  const fit = fitLogisticRegression(
    rawTrain.map(z),
    train.map((e) => e.label),
    { l2: o.l2, maxIterations: o.maxIterations, sampleWeights },
  );
  const margin = (e: TrainingExample) =>
    z(vectorOf(e, names)).reduce((s, v, j) => s + v * fit.weights[j], fit.intercept);
  const calibration = fitPlattCalibration(
    calibrationSet.map(margin),
    calibrationSet.map((e) => e.label),
  );
  const probabilities = (set: readonly TrainingExample[]) => set.map((e) => calibrate(margin(e), calibration));
  const prior = priorModel();
  const priorProbability = (e: TrainingExample) =>
    calibrate(
      prior.featureNames.reduce((s, n, j) => s + prior.weights[j] * (e.features[n] ?? 0), prior.intercept),
      prior.calibration,
    );
  const iso = (d: Date) => d.toISOString();
  return {
    format: RANKING_MODEL_FORMAT,
    // Milliseconds only when there are any: two retrains in one second (the nightly one and one asked for, or two
    // asked for) are two versions, where one name for both would refuse the second one's other contents.
    version: options.version ?? `lr-${iso(o.now).replace(/[-:]|\.000/g, '')}`,
    featureNames: names,
    standardisation: std,
    weights: fit.weights,
    intercept: fit.intercept,
    calibration,
    report: {
      trainedAt: iso(o.now),
      examples: {
        train: outcomeTrain.length,
        calibration: calibrationSet.length,
        validation: validationSet.length,
        annotations: annotated.length,
      },
      splitAt: [iso(calibrationSet[0].at), iso(validationSet[0].at)],
      optimiser: { method: 'newton', iterations: fit.iterations, converged: fit.converged, l2: o.l2 },
      train: splitMetrics(
        probabilities(train),
        train.map((e) => e.label),
      ),
      validation: splitMetrics(
        probabilities(validationSet),
        validationSet.map((e) => e.label),
      ),
      priorValidation: splitMetrics(
        validationSet.map(priorProbability),
        validationSet.map((e) => e.label),
      ),
    },
  };
}
