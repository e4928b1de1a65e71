import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Connection } from 'mongoose';
import { withinMs } from '../../lib/concurrency/within-ms';

/**
 * MongoDB answers a `ping` in time. The connection's state alone says only that a socket is open: a
 * server that stopped answering, or one the driver has not yet noticed is gone, still looks connected.
 */
@Injectable()
export class MongoHealthIndicator {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly health: HealthIndicatorService,
  ) {}

  async pingCheck(key: 'mongodb', timeoutMs = 1000) {
    const session = this.health.check(key);
    const { db } = this.connection;
    if (!db) return session.down({ message: 'not connected' });
    try {
      await withinMs(db.admin().ping(), timeoutMs);
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}
