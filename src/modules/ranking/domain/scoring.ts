import { calibrate } from './calibration';
import { FEATURE_NAMES } from './features';
import { RANKING_MODEL_FORMAT, RankingModel } from './ranking-model';
import { RankingError } from './ranking.errors';

/** A model bound to the canonical feature order: index, mean, scale and weight per used feature. */
interface CompiledModel {
  index: Int32Array;
  mean: Float64Array;
  scale: Float64Array;
  weights: Float64Array;
}

const compiled = new WeakMap<RankingModel, CompiledModel>();

function compile(model: RankingModel): CompiledModel {
  const cached = compiled.get(model);
  if (cached) return cached;
  const index = Int32Array.from(
    model.featureNames.map((name, i) => {
      const at = (FEATURE_NAMES as readonly string[]).indexOf(name);
      if (at < 0) throw new RankingError('ranking.invalid-model', `unknown feature ${name}`, `featureNames[${i}]`);
      return at;
    }),
  );
  const result = {
    index,
    mean: Float64Array.from(model.standardisation.mean),
    scale: Float64Array.from(model.standardisation.scale),
    weights: Float64Array.from(model.weights),
  };
  compiled.set(model, result);
  return result;
}

/** Uncalibrated linear score of a feature vector in FEATURE_NAMES order. */
export function modelMargin(model: RankingModel, features: ArrayLike<number>): number {
  const m = compile(model);
  let z = model.intercept;
  for (let k = 0; k < m.index.length; k++) z += (m.weights[k] * (features[m.index[k]] - m.mean[k])) / m.scale[k];
  return z;
}

/** Calibrated probability that a notification about the journey is opened or clicked. */
export function modelProbability(model: RankingModel, features: ArrayLike<number>): number {
  return calibrate(modelMargin(model, features), model.calibration);
}

function finiteArray(value: unknown, length: number, field: string, positive = false): number[] {
  if (
    !Array.isArray(value) ||
    value.length !== length ||
    !value.every((v) => typeof v === 'number' && Number.isFinite(v) && (!positive || v > 0))
  ) {
    throw new RankingError(
      'ranking.invalid-model',
      `${field} must be ${length} finite${positive ? ' positive' : ''} numbers`,
      field,
    );
  }
  return value as number[];
}

function finite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RankingError('ranking.invalid-model', `${field} must be a finite number`, field);
  }
  return value;
}

/** Validates a stored model (plain JSON) before use; errors name the offending field. */
export function parseRankingModel(raw: unknown): RankingModel {
  if (typeof raw !== 'object' || raw === null) {
    throw new RankingError('ranking.invalid-model', 'model must be an object');
  }
  const m = raw as Record<string, unknown>;
  if (m.format !== RANKING_MODEL_FORMAT) {
    throw new RankingError('ranking.invalid-model', `format must be ${RANKING_MODEL_FORMAT}`, 'format');
  }
  if (typeof m.version !== 'string' || m.version.length === 0) {
    throw new RankingError('ranking.invalid-model', 'version must be a non-empty string', 'version');
  }
  if (!Array.isArray(m.featureNames) || !m.featureNames.every((n) => typeof n === 'string')) {
    throw new RankingError('ranking.invalid-model', 'featureNames must be an array of strings', 'featureNames');
  }
  const d = m.featureNames.length;
  const std = (m.standardisation ?? {}) as Record<string, unknown>;
  const cal = (m.calibration ?? {}) as Record<string, unknown>;
  const model: RankingModel = {
    format: RANKING_MODEL_FORMAT,
    version: m.version,
    featureNames: m.featureNames as string[],
    standardisation: {
      mean: finiteArray(std.mean, d, 'standardisation.mean'),
      scale: finiteArray(std.scale, d, 'standardisation.scale', true),
    },
    weights: finiteArray(m.weights, d, 'weights'),
    intercept: finite(m.intercept, 'intercept'),
    calibration: { a: finite(cal.a, 'calibration.a'), b: finite(cal.b, 'calibration.b') },
    ...(m.report !== undefined ? { report: m.report as RankingModel['report'] } : {}),
  };
  compile(model); // rejects unknown feature names now rather than at ranking time
  return model;
}
