import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { CopyCacheRecord } from './copy-cache.schema';

/** The LLM copy cache, shared by every user, worker and run. */
@Injectable()
export class CopyCacheRepository {
  constructor(@InjectModel(CopyCacheRecord.name) private readonly model: Model<CopyCacheRecord>) {}

  /** The entry for `key`, unless it is a rejection that has expired (the TTL sweep may lag). */
  async findByKey(key: string, now: Date): Promise<CopyCacheRecord | undefined> {
    const found = await this.model.findOne({ key }).lean<CopyCacheRecord>();
    if (!found || (found.expiresAt && found.expiresAt <= now)) return undefined;
    return found;
  }

  /** Stores an entry; a rejection may be replaced by later copy, validated copy is never replaced. */
  async store(record: CopyCacheRecord): Promise<void> {
    try {
      if (record.copy) {
        await this.model.updateOne(
          { key: record.key },
          { $set: record, $unset: { rejected: 1, expiresAt: 1 } },
          { upsert: true },
        );
      } else {
        await this.model.updateOne({ key: record.key, copy: { $exists: false } }, { $set: record }, { upsert: true });
      }
    } catch (error) {
      // Two writers raced on the unique key (or a rejection met stored copy): the stored entry stands.
      if (!(error instanceof mongo.MongoServerError) || error.code !== 11000) throw error;
    }
  }

  /** Entries written from the user's journeys or interests. */
  async deleteByUserId(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }

  async count(): Promise<number> {
    return this.model.countDocuments();
  }
}
