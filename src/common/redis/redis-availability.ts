import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

/** Seconds a client is asked to wait (Retry-After) while Redis is unreachable. */
export const REDIS_RETRY_AFTER_SECONDS = 5;

/**
 * Whether an ioredis client can serve commands now, from its connection events. Callers check it
 * before a command so that, while Redis is away, they answer at once instead of queueing behind
 * reconnection attempts. Before the first connection it counts as available (commands queue briefly).
 */
export class RedisAvailability {
  private state: 'pending' | 'up' | 'down';

  constructor(
    client: Redis,
    /** Logs the transitions, when given; the client's errors then never reach ioredis's console fallback. */
    private readonly logger?: Logger,
  ) {
    const lost = ['reconnecting', 'close', 'end'].includes(client.status);
    this.state = client.status === 'ready' ? 'up' : lost ? 'down' : 'pending';
    client.on('ready', () => this.becomeUp());
    client.on('error', (error: Error) => this.becomeDown(error.message));
    // Not 'close': a deliberate quit() closes too, but only a lost connection is followed by 'reconnecting'.
    client.on('reconnecting', () => this.becomeDown('connection lost'));
  }

  get available(): boolean {
    return this.state !== 'down';
  }

  private becomeUp(): void {
    if (this.state === 'down') this.logger?.log('Redis connection restored');
    this.state = 'up';
  }

  private becomeDown(reason: string): void {
    if (this.state === 'down') {
      this.logger?.debug(`Redis still unreachable: ${reason}`);
      return;
    }
    this.state = 'down';
    this.logger?.warn(`Redis unreachable (${reason}); retrying in the background`);
  }
}
