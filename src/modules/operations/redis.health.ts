import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { RedisAvailability } from '../../common/redis/redis-availability';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { withinMs } from '../../lib/concurrency/within-ms';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly availability: RedisAvailability,
    private readonly health: HealthIndicatorService,
  ) {}

  async pingCheck(key: 'redis', timeoutMs = 1000) {
    const session = this.health.check(key);
    if (!this.availability.available) return session.down({ message: 'connection lost; reconnecting' });
    try {
      await withinMs(this.redis.ping(), timeoutMs);
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}
