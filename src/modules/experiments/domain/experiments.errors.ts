/** Coded errors of the experiments module; the HTTP filter maps them to 404, or 400 naming the field. */
export type ExperimentErrorCode =
  'experiments.invalid-definition' | 'experiments.invalid-statistics' | 'experiments.not-found';

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `variants[1].weight` or `metrics[3].sum`. */
  field: string;
  message: string;
}

export class ExperimentError extends Error {
  constructor(
    readonly code: ExperimentErrorCode,
    readonly problems: FieldProblem[],
  ) {
    super(`${code}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    this.name = 'ExperimentError';
  }

  /** The first offending field, for a one-line message. */
  get field(): string {
    return this.problems[0]?.field ?? '';
  }
}
