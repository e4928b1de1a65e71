import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { JudgeCacheRecord } from './judgement.schema';

@Injectable()
export class JudgeCacheRepository {
  constructor(@InjectModel(JudgeCacheRecord.name) private readonly model: Model<JudgeCacheRecord>) {}

  /** The cached reply for a key, recording that this user's data produced it too. */
  async findByKey(key: string, userId: string): Promise<JudgeCacheRecord | undefined> {
    const found = await this.model
      .findOneAndUpdate({ key }, { $addToSet: { userIds: userId } }, { returnDocument: 'after' })
      .lean<JudgeCacheRecord>();
    return found ?? undefined;
  }

  /** Stores a validated reply; a concurrent store of the same key keeps one entry. */
  async store(record: JudgeCacheRecord): Promise<void> {
    const { userIds, ...rest } = record;
    await this.model.updateOne(
      { key: record.key },
      { $setOnInsert: rest, $addToSet: { userIds: { $each: userIds } } },
      { upsert: true },
    );
  }

  async deleteByUserId(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userIds: userId })).deletedCount;
  }
}
