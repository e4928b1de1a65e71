import { AssignmentDesign, GLOBAL_CONTROL_ARM, HOLDOUT_ARM } from './assignment/assign';
import { HashVersion } from './assignment/hash';
import { ExperimentError, FieldProblem } from './experiments.errors';
import { MetricId, isMetricId } from './metrics';
import { CorrectionMethod } from './statistics/multiple-testing';

export interface ExperimentVariant {
  /** Stable key (stored in assignments); the first variant is the control. */
  key: string;
  name: string;
  weight: number;
  /** The campaign's copy variant for this arm (`interest`, `journey-template`, `journey-llm`), template or prompt version. */
  copyVariant?: string;
  template?: string;
  promptVersion?: string;
}

/** How results are read. Every default is explained in the module README. */
export interface AnalysisSettings {
  alpha: number;
  correction: CorrectionMethod;
  /** Always-valid inference; `tuning` is N*, the expected total users of two arms at the decision. */
  sequential: { tuning: number } | null;
  minimumEvents: number;
  /** Relative lift the power estimate and "days to a decision" plan for. */
  targetLift: number;
  power: number;
  /** Normal prior on the relative lift for the Bayesian read-out; null is a flat prior. */
  prior: { relativeSd: number } | null;
}

export interface ExperimentDefinition {
  id: string;
  name: string;
  campaignId?: string;
  /** Phase seed of the hash; defaults to `id`. */
  seed?: string;
  hashVersion: HashVersion;
  variants: ExperimentVariant[];
  holdoutShare: number;
  metrics: { primary: MetricId; secondary: MetricId[]; guardrails: MetricId[] };
  attributionWindowHours: number;
  /** Fewest users in each compared arm before any verdict. */
  minimumSample: number;
  analysis: AnalysisSettings;
}

export const DEFAULT_ANALYSIS: Readonly<AnalysisSettings> = Object.freeze({
  alpha: 0.05,
  correction: 'holm',
  sequential: null,
  minimumEvents: 25,
  targetLift: 0.1,
  power: 0.8,
  prior: null,
});
export const DEFAULT_ATTRIBUTION_WINDOW_HOURS = 72;
export const DEFAULT_MINIMUM_SAMPLE = 100;

type Input = Record<string, unknown>;
/**
 * An experiment id: up to 69 characters, as long as a campaign's (or its block's) id of 63 and `.v9999`, its
 * highest version.
 */
export const EXPERIMENT_ID = /^[a-z0-9][a-z0-9._-]{0,68}$/;
const KEY = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const CORRECTIONS: CorrectionMethod[] = ['holm', 'benjamini-hochberg', 'none'];

/** Validates a definition (as written in a campaign's `experiment` block, plus id) and fills the defaults. */
export function parseExperimentDefinition(raw: unknown): ExperimentDefinition {
  const problems: FieldProblem[] = [];
  const fail = (field: string, message: string) => problems.push({ field, message });
  const input = (isObject(raw) ? raw : (fail('', 'must be an object'), {})) as Input;
  const num = (value: unknown, field: string, fallback: number, ok: (x: number) => boolean, rule: string) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) fail(field, `must be ${rule}`);
    return value as number;
  };
  if (typeof input.id !== 'string' || !EXPERIMENT_ID.test(input.id)) {
    fail('id', 'must be a lowercase key (a-z, 0-9, . _ -) of at most 69 characters');
  }
  const variants = Array.isArray(input.variants) ? (input.variants as unknown[]) : [];
  if (variants.length < 2) fail('variants', 'must list at least two variants (the first is the control)');
  const keys = new Set<string>();
  const parsedVariants = variants.map((v, i): ExperimentVariant => {
    const variant = (isObject(v) ? v : (fail(`variants[${i}]`, 'must be an object'), {})) as Input;
    const key = variant.key;
    if (typeof key !== 'string' || !KEY.test(key) || key === HOLDOUT_ARM || key === GLOBAL_CONTROL_ARM) {
      fail(`variants[${i}].key`, `must be a lowercase key other than "${HOLDOUT_ARM}" and "${GLOBAL_CONTROL_ARM}"`);
    } else if (keys.has(key)) fail(`variants[${i}].key`, `duplicates "${key}"`);
    keys.add(String(key));
    const optional = (name: string) => (typeof variant[name] === 'string' ? (variant[name] as string) : undefined);
    return {
      key: String(key),
      name: optional('name') ?? String(key),
      weight: num(variant.weight, `variants[${i}].weight`, 1, (w) => w > 0, 'a positive number'),
      copyVariant: optional('copyVariant'),
      template: optional('template'),
      promptVersion: optional('promptVersion'),
    };
  });
  const metrics = (isObject(input.metrics) ? input.metrics : (fail('metrics', 'must be an object'), {})) as Input;
  const metricList = (value: unknown, field: string): MetricId[] => {
    const list = value === undefined ? [] : Array.isArray(value) ? value : (fail(field, 'must be a list'), []);
    list.forEach((m, i) => isMetricId(m) || fail(`${field}[${i}]`, `unknown metric "${String(m)}"`));
    return list.filter(isMetricId);
  };
  if (!isMetricId(metrics.primary)) fail('metrics.primary', `unknown metric "${String(metrics.primary)}"`);
  const analysis = (isObject(input.analysis) ? input.analysis : {}) as Input;
  const sequential = isObject(analysis.sequential) ? (analysis.sequential as Input) : null;
  const prior = isObject(analysis.prior) ? (analysis.prior as Input) : null;
  if (analysis.correction !== undefined && !CORRECTIONS.includes(analysis.correction as CorrectionMethod)) {
    fail('analysis.correction', `must be one of ${CORRECTIONS.join(', ')}`);
  }
  const hashVersion = num(input.hashVersion, 'hashVersion', 2, (v) => v === 1 || v === 2, '1 or 2') as HashVersion;
  const definition: ExperimentDefinition = {
    id: String(input.id),
    name: typeof input.name === 'string' ? input.name : String(input.id),
    campaignId: typeof input.campaignId === 'string' ? input.campaignId : undefined,
    seed: typeof input.seed === 'string' && input.seed ? input.seed : undefined,
    hashVersion,
    variants: parsedVariants,
    holdoutShare: num(input.holdoutShare, 'holdoutShare', 0, (h) => h >= 0 && h < 1, 'in [0, 1)'),
    metrics: {
      primary: metrics.primary as MetricId,
      secondary: metricList(metrics.secondary, 'metrics.secondary'),
      guardrails: metricList(metrics.guardrails, 'metrics.guardrails'),
    },
    attributionWindowHours: num(
      input.attributionWindowHours,
      'attributionWindowHours',
      DEFAULT_ATTRIBUTION_WINDOW_HOURS,
      (h) => h > 0 && h <= 24 * 90,
      'in (0, 2160] hours',
    ),
    minimumSample: num(
      input.minimumSample,
      'minimumSample',
      DEFAULT_MINIMUM_SAMPLE,
      (n) => Number.isInteger(n) && n >= 1,
      'a positive integer',
    ),
    analysis: {
      alpha: num(analysis.alpha, 'analysis.alpha', DEFAULT_ANALYSIS.alpha, (a) => a > 0 && a < 0.5, 'in (0, 0.5)'),
      correction: (analysis.correction as CorrectionMethod | undefined) ?? DEFAULT_ANALYSIS.correction,
      sequential: sequential && {
        tuning: num(sequential.tuning, 'analysis.sequential.tuning', 5000, (n) => n >= 100, 'at least 100'),
      },
      minimumEvents: num(
        analysis.minimumEvents,
        'analysis.minimumEvents',
        DEFAULT_ANALYSIS.minimumEvents,
        (n) => Number.isInteger(n) && n >= 0,
        'an integer >= 0',
      ),
      targetLift: num(
        analysis.targetLift,
        'analysis.targetLift',
        DEFAULT_ANALYSIS.targetLift,
        (l) => l > 0 && l <= 10,
        'in (0, 10]',
      ),
      power: num(analysis.power, 'analysis.power', DEFAULT_ANALYSIS.power, (p) => p >= 0.5 && p < 1, 'in [0.5, 1)'),
      prior: prior && { relativeSd: num(prior.relativeSd, 'analysis.prior.relativeSd', 0.3, (s) => s > 0, 'positive') },
    },
  };
  if (problems.length > 0) throw new ExperimentError('experiments.invalid-definition', problems);
  return definition;
}

function isObject(value: unknown): value is Input {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The assignment design of a definition: what `createAssigner` needs. */
export function assignmentDesign(definition: ExperimentDefinition): AssignmentDesign {
  return {
    key: definition.id,
    seed: definition.seed,
    hashVersion: definition.hashVersion,
    variants: definition.variants,
    holdoutShare: definition.holdoutShare,
  };
}
