import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { IdempotencyKeyRecord } from './idempotency-key.schema';

type KeyOf = Pick<IdempotencyKeyRecord, 'route' | 'apiKeyId' | 'key'>;

@Injectable()
export class IdempotencyKeyRepository {
  constructor(@InjectModel(IdempotencyKeyRecord.name) private readonly model: Model<IdempotencyKeyRecord>) {}

  /**
   * Records the first request with this key, or, when one came first (even at the same moment), gives its record:
   * the unique index lets only one insert win.
   */
  async claim(record: IdempotencyKeyRecord): Promise<IdempotencyKeyRecord> {
    for (;;) {
      try {
        await this.model.create(record);
        return record;
      } catch (error) {
        if (!(error instanceof mongo.MongoServerError) || error.code !== 11000) throw error;
      }
      const first = await this.findByKey(record);
      // Expired between the insert and the read: the request is a first one again.
      if (first) return first;
    }
  }

  async findByKey({ route, apiKeyId, key }: KeyOf): Promise<IdempotencyKeyRecord | undefined> {
    return (await this.model.findOne({ route, apiKeyId, key }, { _id: 0 }).lean<IdempotencyKeyRecord>()) ?? undefined;
  }
}
