import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { isDuplicateKey } from '../../common/mongo/insert-once';
import type { ArmDayCounts, AssignedUser, MetricId } from './domain';
import { ExperimentAssignmentRecord } from './experiment-assignment.schema';

/** Exposures kept per user: enough for weekly campaigns over months, bounded for daily ones. */
const KEPT_EXPOSURES = 30;
/** Users per `$in` read of `findUsers`. */
const USERS_PER_READ = 1000;

export type StoredAssignment = ExperimentAssignmentRecord & { _id: unknown };

/** Assignments: sticky arms, exposures, first deliveries and each user's metric values. */
@Injectable()
export class ExperimentAssignmentRepository {
  constructor(
    @InjectModel(ExperimentAssignmentRecord.name) private readonly model: Model<ExperimentAssignmentRecord>,
  ) {}

  /**
   * Records a decision in one round trip: the user's existing record wins (a sticky arm) and gains the
   * exposure and the decision; without one, `record` is inserted. `inserted` says which, so exactly one of concurrent first
   * decisions counts the user; the others lose on the unique index and are retried as updates.
   */
  async recordDecision(
    record: Omit<ExperimentAssignmentRecord, 'exposures' | 'decisions'>,
    at: Date,
  ): Promise<{ assignment: StoredAssignment; inserted: boolean }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.model
          .findOneAndUpdate(
            { experimentId: record.experimentId, userId: record.userId },
            {
              $setOnInsert: record,
              $push: {
                exposures: { $each: [at], $slice: -KEPT_EXPOSURES },
                decisions: { $each: [at], $slice: -KEPT_EXPOSURES },
              },
            },
            { upsert: true, returnDocument: 'after', includeResultMetadata: true },
          )
          .lean<mongo.ModifyResult<StoredAssignment>>();
        return { assignment: result.value!, inserted: result.lastErrorObject?.updatedExisting === false };
      } catch (error) {
        if (!isDuplicateKey(error) || attempt > 0) throw error;
      }
    }
  }

  /** Every assignment of a user in the experiments of one campaign (one per version that reached them). */
  async findByCampaignAndUser(campaignId: string, userId: string): Promise<StoredAssignment[]> {
    return this.model.find({ campaignId, userId }).lean<StoredAssignment[]>();
  }

  /** Every assignment of a user, in every experiment. */
  async findByUser(userId: string): Promise<StoredAssignment[]> {
    return this.model.find({ userId }).lean<StoredAssignment[]>();
  }

  /**
   * Users per (arm, assignment day) of one experiment assigned by `asOf`, by the split their arm was drawn
   * under where recorded, and those first delivered to by then.
   */
  async countsAsOf(experimentId: string, asOf: Date): Promise<ArmDayCounts[]> {
    const count = (match: Record<string, unknown>, group: Record<string, string>) =>
      this.model.aggregate<{ _id: { arm: string; day: string; split?: string | null }; n: number }>([
        { $match: { experimentId, assignedAt: { $lte: asOf }, ...match } },
        { $group: { _id: group, n: { $sum: 1 } } },
      ]);
    const [assigned, delivered] = await Promise.all([
      count({}, { arm: '$arm', day: '$day', split: '$split' }),
      count({ deliveredAt: { $lte: asOf } }, { arm: '$arm', day: '$day' }),
    ]);
    const key = (id: { arm: string; day: string }) => `${id.arm}\u0000${id.day}`;
    const deliveredBy = new Map(delivered.map((d) => [key(d._id), d.n]));
    const rows = new Map<string, ArmDayCounts>();
    for (const { _id, n } of assigned) {
      const { arm, day, split } = _id;
      const row = rows.get(key(_id)) ?? { arm, day, assigned: 0, delivered: deliveredBy.get(key(_id)) ?? 0 };
      row.assigned += n;
      if (split) row.splits = { ...row.splits, [split]: (row.splits?.[split] ?? 0) + n };
      rows.set(key(_id), row);
    }
    return [...rows.values()];
  }

  /** The arm, cohort day, channel and split of some users of one experiment, read in batches. */
  async findUsers(experimentId: string, userIds: readonly string[]): Promise<AssignedUser[]> {
    const found: AssignedUser[] = [];
    for (let i = 0; i < userIds.length; i += USERS_PER_READ) {
      const batch = userIds.slice(i, i + USERS_PER_READ);
      found.push(
        ...(await this.model
          .find({ experimentId, userId: { $in: batch } }, { _id: 0, userId: 1, arm: 1, day: 1, channel: 1, split: 1 })
          .lean<AssignedUser[]>()),
      );
    }
    return found;
  }

  /** Each user's arm in one experiment (for analyses beside the report, at the size of one experiment). */
  async armsByUser(experimentId: string): Promise<Map<string, string>> {
    const rows = await this.model
      .find({ experimentId }, { _id: 0, userId: 1, arm: 1 })
      .lean<{ userId: string; arm: string }[]>();
    return new Map(rows.map((r) => [r.userId, r.arm]));
  }

  /**
   * Adds deliveries to their users' exposures and keeps each first delivery time, in three round trips
   * whatever their number: each record still without a delivery is marked as first delivered by this call
   * (a conditional write only one call can win, and a call re-run after a crash wins nothing again), every
   * delivery is added to its user's exposures, then the records are read back. The records found, and
   * those this call delivered first.
   */
  async recordDeliveries(
    deliveries: ReadonlyArray<{ experimentId: string; userId: string; notificationId: string; at: Date }>,
  ): Promise<{ found: StoredAssignment[]; first: StoredAssignment[] }> {
    if (deliveries.length === 0) return { found: [], first: [] };
    const key = (d: { experimentId: string; userId: string }) => ({ experimentId: d.experimentId, userId: d.userId });
    const call = randomUUID();
    await this.model.collection.bulkWrite(
      deliveries.map((d) => ({
        updateOne: {
          filter: { ...key(d), deliveredAt: { $exists: false } },
          update: { $set: { deliveredAt: d.at, firstDeliveryCall: call } },
        },
      })),
      { ordered: false },
    );
    await this.model.collection.bulkWrite(
      deliveries.map((d) => ({
        updateOne: {
          filter: key(d),
          update: {
            $push: {
              exposures: { $each: [d.at], $slice: -KEPT_EXPOSURES },
            } as unknown as mongo.PushOperator<mongo.BSON.Document>,
            $min: { deliveredAt: d.at },
            $addToSet: { notificationIds: d.notificationId },
          },
        },
      })),
      { ordered: false },
    );
    const found = (await this.model.collection
      .find({ $or: deliveries.map(key) })
      .toArray()) as unknown as StoredAssignment[];
    return { found, first: found.filter((a) => a.firstDeliveryCall === call) };
  }

  /** Marks the user as not counted in the arm's row (its write failed), for the next decision to count. */
  async markUncounted(id: unknown): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { uncounted: true } });
  }

  /** Takes the mark of a user not counted in the arm's row; true only for the call that took it (it counts them). */
  async claimUncounted(id: unknown): Promise<boolean> {
    return (await this.model.updateOne({ _id: id, uncounted: true }, { $unset: { uncounted: 1 } })).modifiedCount === 1;
  }

  /** Marks the users' first deliveries as not counted in their rows (the write failed), for the next call to count. */
  async markDeliveriesUncounted(ids: readonly unknown[]): Promise<void> {
    if (ids.length > 0) await this.model.updateMany({ _id: { $in: [...ids] } }, { $set: { deliveryUncounted: true } });
  }

  /** Takes the mark of a first delivery not counted; true only for the call that took it (it counts the delivery). */
  async claimDeliveryUncounted(id: unknown): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: id, deliveryUncounted: true },
      { $unset: { deliveryUncounted: 1 } },
    );
    return result.modifiedCount === 1;
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

  /** Undoes `reachRate` for an outcome whose arm sums could not be written, so that its replay counts it. */
  async unreachRate(id: unknown, metric: MetricId): Promise<void> {
    await this.model.updateOne({ _id: id, [`values.${metric}`]: 1 }, { $unset: { [`values.${metric}`]: 1 } });
  }

  /** Undoes `incrementCount` for an outcome whose arm sums could not be written, so that its replay counts it. */
  async uncount(id: unknown, metric: MetricId, outcomeKey: string): Promise<void> {
    await this.model.updateOne(
      { _id: id, countedOutcomes: outcomeKey },
      { $inc: { [`values.${metric}`]: -1 }, $pull: { countedOutcomes: outcomeKey } },
    );
  }

  async deleteByUser(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }

  async deleteByUsers(userIds: readonly string[]): Promise<number> {
    return (await this.model.deleteMany({ userId: { $in: [...userIds] } })).deletedCount;
  }
}
