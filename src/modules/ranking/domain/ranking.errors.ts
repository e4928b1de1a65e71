/** Coded errors thrown by the ranking domain; the service and CLI map codes to responses. */
export type RankingErrorCode =
  | 'ranking.invalid-model'
  | 'ranking.invalid-params'
  | 'ranking.invalid-example'
  | 'ranking.invalid-annotation'
  | 'ranking.insufficient-data';

export class RankingError extends Error {
  constructor(
    readonly code: RankingErrorCode,
    message: string,
    /** Dotted path of the offending field, when one field is to blame. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RankingError';
  }
}
