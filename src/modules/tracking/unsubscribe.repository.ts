import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertOnce } from '../../common/mongo/insert-once';
import { ALL_CATEGORIES } from './domain/tracking-urls';
import { UnsubscribeRecord } from './preferences.schema';

@Injectable()
export class UnsubscribeRepository {
  constructor(@InjectModel(UnsubscribeRecord.name) private readonly model: Model<UnsubscribeRecord>) {}

  /** Records the unsubscribe unless the user already left that category; true when it is new. */
  add(record: UnsubscribeRecord): Promise<boolean> {
    return insertOnce(this.model, { userId: record.userId, category: record.category }, record);
  }

  /** Whether the user left `category` or everything. */
  async isUnsubscribed(userId: string, category: string): Promise<boolean> {
    return (await this.model.exists({ userId, category: { $in: [category, ALL_CATEGORIES] } })) !== null;
  }

  /** Which of these users left `category` or everything, in one read. */
  async findUnsubscribed(userIds: readonly string[], category: string): Promise<Set<string>> {
    const docs = await this.model
      .find({ userId: { $in: userIds }, category: { $in: [category, ALL_CATEGORIES] } }, { _id: 0, userId: 1 })
      .lean<Array<Pick<UnsubscribeRecord, 'userId'>>>();
    return new Set(docs.map((d) => d.userId));
  }

  async findByUser(userId: string): Promise<UnsubscribeRecord[]> {
    return this.model.find({ userId }).sort({ at: 1 }).lean<UnsubscribeRecord[]>();
  }

  /** Takes the user back into `category` (`*`: the unsubscribe from everything); true when they had left it. */
  async remove(userId: string, category: string): Promise<boolean> {
    return (await this.model.deleteOne({ userId, category })).deletedCount > 0;
  }

  async deleteByUser(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }
}
