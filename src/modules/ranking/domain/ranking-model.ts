/** The persisted ranking model: plain JSON, so a service can store it and any process can load it. */

export const RANKING_MODEL_FORMAT = 'journeycast.ranking.logistic/1';

/** Per-feature standardisation learnt on the training split: z = (x - mean) / scale. */
export interface Standardisation {
  mean: number[];
  scale: number[];
}

/** Platt scaling of the linear score: p = sigmoid(a * margin + b). */
export interface PlattCalibration {
  a: number;
  b: number;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Metrics of one model on one split of the examples. */
export interface SplitMetrics {
  examples: number;
  positives: number;
  auc: number;
  logLoss: number;
  /** Expected calibration error: count-weighted mean |predicted - observed| over the bins. */
  ece: number;
  calibration: CalibrationBin[];
}

export interface TrainingReport {
  trainedAt: string;
  examples: { train: number; calibration: number; validation: number; annotations: number };
  /** Time boundaries of the split: calibration starts at the first, validation at the second. */
  splitAt: [string, string];
  optimiser: { method: 'newton'; iterations: number; converged: boolean; l2: number };
  train: SplitMetrics;
  validation: SplitMetrics;
  /** Validation metrics of the prior model on the same examples, for comparison. */
  priorValidation: SplitMetrics;
}

export interface RankingModel {
  format: typeof RANKING_MODEL_FORMAT;
  version: string;
  featureNames: string[];
  standardisation: Standardisation;
  weights: number[];
  intercept: number;
  calibration: PlattCalibration;
  report?: TrainingReport;
}
