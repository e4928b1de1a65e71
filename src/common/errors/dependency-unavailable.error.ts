/** A server the request needs (Redis, MongoDB) cannot be reached right now; retrying later may work. */
export class DependencyUnavailableError extends Error {
  readonly code = 'dependency.unavailable';

  constructor(
    readonly dependency: 'redis' | 'mongodb',
    /** A fair wait before retrying, sent as Retry-After. */
    readonly retryAfterSeconds: number,
    message = `${dependency === 'redis' ? 'Redis' : 'MongoDB'} is unreachable; retry in ${retryAfterSeconds}s`,
  ) {
    super(message);
    this.name = 'DependencyUnavailableError';
  }
}
