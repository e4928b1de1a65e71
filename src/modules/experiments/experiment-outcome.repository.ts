import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertOnce } from '../../common/mongo/insert-once';
import type { CountedOutcome } from './domain';
import { ExperimentOutcomeRecord } from './experiment-outcome.schema';

/** The raw outcome log of assigned users. */
@Injectable()
export class ExperimentOutcomeRepository {
  constructor(@InjectModel(ExperimentOutcomeRecord.name) private readonly model: Model<ExperimentOutcomeRecord>) {}

  async exists(key: string): Promise<boolean> {
    return (await this.model.exists({ key })) !== null;
  }

  /** Logs an outcome once; a second record with the same key changes nothing. */
  async insert(record: ExperimentOutcomeRecord): Promise<void> {
    await insertOnce(this.model, { key: record.key }, record);
  }

  /** The outcomes counted in an experiment (within the window of an exposure) that happened by `asOf`. */
  async findCountedIn(experimentId: string, asOf: Date): Promise<CountedOutcome[]> {
    return this.model
      .find(
        { attributions: { $elemMatch: { experimentId, skipped: { $exists: false } } }, at: { $lte: asOf } },
        { _id: 0, userId: 1, kind: 1, machine: 1 },
      )
      .lean<CountedOutcome[]>();
  }

  async findByUser(userId: string): Promise<ExperimentOutcomeRecord[]> {
    return this.model.find({ userId }, { _id: 0 }).sort({ at: 1 }).lean<ExperimentOutcomeRecord[]>();
  }

  /** The user's outcomes of the notification, or of the conversion (by the userId index; a rare write). */
  async deleteOf(userId: string, of: { notificationId: string } | { conversionId: string }): Promise<number> {
    return (await this.model.deleteMany({ userId, ...of })).deletedCount;
  }

  async deleteByUser(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }
}
