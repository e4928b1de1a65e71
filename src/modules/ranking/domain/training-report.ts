import { SplitMetrics, TrainingReport } from './ranking-model';

const fixed = (v: number, digits = 3) => (Number.isNaN(v) ? 'n/a' : v.toFixed(digits));

function metricsLine(label: string, m: SplitMetrics): string {
  return `${label.padEnd(16)} examples ${String(m.examples).padStart(7)}  positives ${String(m.positives).padStart(6)}  AUC ${fixed(m.auc)}  log loss ${fixed(m.logLoss)}  ECE ${fixed(m.ece)}`;
}

/** Human-readable training report for the CLI and logs. */
export function formatTrainingReport(version: string, report: TrainingReport): string {
  const lines = [
    `model ${version} trained ${report.trainedAt}`,
    `split by time: calibration from ${report.splitAt[0]}, validation from ${report.splitAt[1]}`,
    `examples: train ${report.examples.train} (+${report.examples.annotations} annotations), calibration ${report.examples.calibration}, validation ${report.examples.validation}`,
    `optimiser: ${report.optimiser.method}, ${report.optimiser.iterations} iterations, ${report.optimiser.converged ? 'converged' : 'NOT converged'}, l2 ${report.optimiser.l2}`,
    metricsLine('train', report.train),
    metricsLine('validation', report.validation),
    metricsLine('prior (valid.)', report.priorValidation),
    'validation calibration:   bin        n   predicted  observed',
    ...report.validation.calibration.map(
      (b) =>
        `                   ${b.lower.toFixed(1)}-${b.upper.toFixed(1)} ${String(b.count).padStart(7)}   ${fixed(b.meanPredicted)}      ${fixed(b.observedRate)}`,
    ),
  ];
  return lines.join('\n');
}
