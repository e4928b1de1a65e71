import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertOnce } from '../../common/mongo/insert-once';
import type { MetricId } from './domain';
import { ExperimentAssignmentRecord } from './experiment-assignment.schema';

/** Exposures kept per user: enough for weekly campaigns over months, bounded for daily ones. */
const KEPT_EXPOSURES = 30;

export type StoredAssignment = ExperimentAssignmentRecord & { _id: unknown };

/** Assignments: sticky arms, exposures, first deliveries and each user's metric values. */
@Injectable()
export class ExperimentAssignmentRepository {
  constructor(
    @InjectModel(ExperimentAssignmentRecord.name) private readonly model: Model<ExperimentAssignmentRecord>,
  ) {}

  /** The user's assignment with `at` added to its exposures, or undefined when the user has none yet. */
  async addExposure(experimentId: string, userId: string, at: Date): Promise<StoredAssignment | undefined> {
    const doc = await this.model
      .findOneAndUpdate(
        { experimentId, userId },
        { $push: { exposures: { $each: [at], $slice: -KEPT_EXPOSURES } } },
        { returnDocument: 'after' },
      )
      .lean<StoredAssignment>();
    return doc ?? undefined;
  }

  /** Records a new assignment; false when the user was assigned concurrently (that record stands). */
  async insert(record: ExperimentAssignmentRecord): Promise<boolean> {
    return insertOnce(this.model, { experimentId: record.experimentId, userId: record.userId }, record);
  }

  async findOne(experimentId: string, userId: string): Promise<StoredAssignment | undefined> {
    return (await this.model.findOne({ experimentId, userId }).lean<StoredAssignment>()) ?? undefined;
  }

  /** Every assignment of a user in the experiments of one campaign (one per version that reached them). */
  async findByCampaignAndUser(campaignId: string, userId: string): Promise<StoredAssignment[]> {
    return this.model.find({ campaignId, userId }).lean<StoredAssignment[]>();
  }

  /**
   * Adds a delivery to the user's exposures and keeps the first delivery time. Returns the record as it
   * was before, so exactly one of concurrent first deliveries sees no `deliveredAt`.
   */
  async recordDelivery(
    experimentId: string,
    userId: string,
    at: Date,
    notificationId: string,
  ): Promise<StoredAssignment | undefined> {
    const before = await this.model
      .findOneAndUpdate(
        { experimentId, userId },
        {
          $push: { exposures: { $each: [at], $slice: -KEPT_EXPOSURES } },
          $min: { deliveredAt: at },
          $addToSet: { notificationIds: notificationId },
        },
        { returnDocument: 'before' },
      )
      .lean<StoredAssignment>();
    return before ?? undefined;
  }

  /** Sets a rate metric to 1 for the user; true only for the call that moved it (the user counts once). */
  async reachRate(id: unknown, metric: MetricId): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: id, [`values.${metric}`]: { $exists: false } },
      { $set: { [`values.${metric}`]: 1 } },
    );
    return result.modifiedCount === 1;
  }

  /** Adds one to a count metric for an outcome not counted yet; the user's new count, or undefined if it was. */
  async incrementCount(id: unknown, metric: MetricId, outcomeKey: string): Promise<number | undefined> {
    const after = await this.model
      .findOneAndUpdate(
        { _id: id, countedOutcomes: { $ne: outcomeKey } },
        { $inc: { [`values.${metric}`]: 1 }, $push: { countedOutcomes: outcomeKey } },
        { returnDocument: 'after' },
      )
      .lean<StoredAssignment>();
    return after?.values[metric];
  }

  async deleteByUser(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }
}
