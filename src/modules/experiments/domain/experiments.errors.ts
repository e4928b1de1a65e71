/** Coded errors of the experiments domain; the service maps them to 400 responses naming the field. */
export type ExperimentErrorCode = 'experiments.invalid-definition' | 'experiments.invalid-statistics';

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
