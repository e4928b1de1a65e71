import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { JudgedUserRecord } from './judgement.schema';

const DUPLICATE_KEY = 11000;

@Injectable()
export class JudgedUserRepository {
  constructor(@InjectModel(JudgedUserRecord.name) private readonly model: Model<JudgedUserRecord>) {}

  /** Stores a user's result once per judgement; a second write (a resumed job) keeps the first. */
  async insertOnce(record: JudgedUserRecord): Promise<void> {
    try {
      await this.model.collection.insertOne({ ...record });
    } catch (error) {
      if (!(error instanceof mongo.MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
    }
  }

  async findByJudgement(judgementId: string): Promise<JudgedUserRecord[]> {
    return this.model.find({ judgementId }, { _id: 0 }).sort({ userId: 1 }).lean<JudgedUserRecord[]>();
  }

  async deleteByUserId(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }
}
