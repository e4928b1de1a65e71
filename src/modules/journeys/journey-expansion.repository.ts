import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { JourneyExpansionRecord } from './journey-expansion.schema';

@Injectable()
export class JourneyExpansionRepository {
  constructor(@InjectModel(JourneyExpansionRecord.name) private readonly model: Model<JourneyExpansionRecord>) {}

  async findByKeys(keys: readonly string[]): Promise<Map<string, JourneyExpansionRecord>> {
    if (keys.length === 0) return new Map();
    const docs = await this.model.find({ key: { $in: [...new Set(keys)] } }).lean<JourneyExpansionRecord[]>();
    return new Map(docs.map((d) => [d.key, d]));
  }

  /** Expansions generated for the user's journeys. */
  async deleteByUserId(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }

  /** Stores an expansion unless one exists for the key: generated once, first writer wins. */
  async insertOnce(record: JourneyExpansionRecord): Promise<void> {
    try {
      await this.model.updateOne({ key: record.key }, { $setOnInsert: record }, { upsert: true });
    } catch (error) {
      // Two first writers raced on the unique key: the other one's record stands.
      if (!(error instanceof mongo.MongoServerError) || error.code !== 11000) throw error;
    }
  }
}
