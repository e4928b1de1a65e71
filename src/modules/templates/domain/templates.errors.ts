import { TemplateProblem } from '../template.types';

/** Coded errors thrown by the templates module; callers map codes to responses or skip reasons. */
export type TemplateErrorCode =
  | 'templates.not-found'
  | 'templates.invalid'
  | 'templates.invalid-option'
  | 'templates.invalid-link'
  | 'templates.invalid-value'
  | 'templates.payload-too-large'
  | 'templates.empty-push';

export class TemplateError extends Error {
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    /** Name of the offending option or value, when one is to blame (`locale`, `timeZone`). */
    readonly field?: string,
    /** Every problem of an invalid template, with file, line and column. */
    readonly problems: readonly TemplateProblem[] = [],
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** One line per problem, `file:line:column message`, as the CLI and error messages print them. */
export function formatProblems(problems: readonly TemplateProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`).join('\n');
}
