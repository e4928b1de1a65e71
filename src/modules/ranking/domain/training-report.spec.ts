import { splitMetrics } from './training';
import { formatTrainingReport } from './training-report';

describe('formatTrainingReport', () => {
  it('prints the split, the metrics of each split and the calibration bins', () => {
    const metrics = splitMetrics([0.1, 0.2, 0.8, 0.9], [0, 1, 1, 1]);
    const text = formatTrainingReport('lr-1', {
      trainedAt: '2026-06-01T00:00:00.000Z',
      examples: { train: 70, calibration: 15, validation: 15, annotations: 3 },
      splitAt: ['2026-05-20T00:00:00.000Z', '2026-05-25T00:00:00.000Z'],
      optimiser: { method: 'newton', iterations: 7, converged: true, l2: 0.01 },
      train: metrics,
      validation: metrics,
      priorValidation: splitMetrics([0.5, 0.5, 0.5, 0.5], [0, 1, 1, 1]),
    });
    expect(text).toContain('model lr-1 trained 2026-06-01T00:00:00.000Z');
    expect(text).toContain('train 70 (+3 annotations), calibration 15, validation 15');
    expect(text).toMatch(/validation\s+examples\s+4\s+positives\s+3\s+AUC 1\.000/);
    expect(text).toMatch(/prior \(valid\.\)\s+examples\s+4\s+positives\s+3\s+AUC 0\.500/);
    expect(text).toMatch(/0\.8-0\.9\s+1\s+0\.800\s+1\.000/);
  });
});
