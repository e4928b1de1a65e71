/** Coded errors of the journey judge; the CLI prints the message and maps the code to its exit code. */
export type JudgeErrorCode =
  | 'judge.no-llm'
  | 'judge.no-run'
  | 'judge.run-not-found'
  | 'judge.run-not-completed'
  | 'judge.no-users'
  | 'judge.invalid-labels';

export class JudgeError extends Error {
  constructor(
    readonly code: JudgeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'JudgeError';
  }
}
