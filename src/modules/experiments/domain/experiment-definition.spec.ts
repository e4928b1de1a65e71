import { DEFAULT_ANALYSIS, assignmentDesign, parseExperimentDefinition } from './experiment-definition';
import { ExperimentError } from './experiments.errors';

const minimal = {
  id: 'push-copy',
  variants: [{ key: 'interest' }, { key: 'journey-llm', weight: 3 }],
  metrics: { primary: 'click-rate' },
};

function problemsOf(raw: unknown): string[] {
  try {
    parseExperimentDefinition(raw);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentError);
    return (error as ExperimentError).problems.map((p) => p.field);
  }
}

describe(parseExperimentDefinition.name, () => {
  it('fills the documented defaults', () => {
    const d = parseExperimentDefinition(minimal);
    expect(d).toMatchObject({
      name: 'push-copy',
      hashVersion: 2,
      holdoutShare: 0,
      attributionWindowHours: 72,
      minimumSample: 100,
      metrics: { primary: 'click-rate', secondary: [], guardrails: [] },
      analysis: DEFAULT_ANALYSIS,
    });
    expect(d.variants.map((v) => [v.key, v.name, v.weight])).toEqual([
      ['interest', 'interest', 1],
      ['journey-llm', 'journey-llm', 3],
    ]);
    expect(assignmentDesign(d)).toEqual({
      key: 'push-copy',
      seed: undefined,
      hashVersion: 2,
      variants: d.variants,
      holdoutShare: 0,
    });
  });

  it('reads sequential testing, the correction and a prior', () => {
    const d = parseExperimentDefinition({
      ...minimal,
      analysis: { sequential: { tuning: 40000 }, correction: 'benjamini-hochberg', prior: {} },
    });
    expect(d.analysis).toMatchObject({
      sequential: { tuning: 40000 },
      correction: 'benjamini-hochberg',
      prior: { relativeSd: 0.3 },
    });
  });

  it.each([
    [{ ...minimal, id: 'Push Copy' }, ['id']],
    [{ ...minimal, variants: [{ key: 'a' }] }, ['variants']],
    [{ ...minimal, variants: [{ key: 'a' }, { key: 'a', weight: -1 }] }, ['variants[1].key', 'variants[1].weight']],
    [{ ...minimal, variants: [{ key: 'holdout' }, { key: 'b' }] }, ['variants[0].key']],
    [
      { ...minimal, metrics: { primary: 'opens', secondary: ['click-rate', 'revenue'] } },
      ['metrics.primary', 'metrics.secondary[1]'],
    ],
    [{ ...minimal, holdoutShare: 1 }, ['holdoutShare']],
    [
      { ...minimal, analysis: { alpha: 0.7, correction: 'bonferroni', sequential: { tuning: 10 } } },
      ['analysis.correction', 'analysis.alpha', 'analysis.sequential.tuning'],
    ],
    [{ ...minimal, hashVersion: 3, minimumSample: 1.5 }, ['hashVersion', 'minimumSample']],
  ])('names every bad field (%#)', (raw, fields) => {
    expect(problemsOf(raw)).toEqual(fields);
  });
});
