import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { JourneyNameRecord } from './journey-name.schema';

/** The LLM naming cache: one validated name per naming signature, shared by every user and worker. */
@Injectable()
export class JourneyNameRepository {
  constructor(@InjectModel(JourneyNameRecord.name) private readonly model: Model<JourneyNameRecord>) {}

  async findBySignature(signature: string): Promise<JourneyNameRecord | undefined> {
    return (await this.model.findOne({ signature }).lean<JourneyNameRecord>()) ?? undefined;
  }

  /** Names stored for the user's journeys. */
  async deleteByUserId(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }

  async insertOnce(record: JourneyNameRecord): Promise<void> {
    try {
      await this.model.updateOne({ signature: record.signature }, { $setOnInsert: record }, { upsert: true });
    } catch (error) {
      // Two first writers raced on the unique key: the other one's record stands.
      if (!(error instanceof mongo.MongoServerError) || error.code !== 11000) throw error;
    }
  }
}
