/** Coded errors of the tracking module; the HTTP filter maps codes to status codes. */
export type TrackingErrorCode = 'tracking.conflict' | 'tracking.not-issued' | 'tracking.unknown-link';

export class TrackingError extends Error {
  constructor(
    readonly code: TrackingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TrackingError';
  }
}
