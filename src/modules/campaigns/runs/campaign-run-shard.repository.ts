import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertNew } from '../../../common/mongo/insert-new';
import { CampaignRunShardRecord } from './campaign-run.schema';
import type { PlannedShard } from './domain/shard-plan';

/** A shard as its jobs are enqueued: its number and the send time its users share. */
export type ShardTime = Pick<CampaignRunShardRecord, 'shard' | 'sendAt'>;

/** The shards of runs: who the selection put in each, unique on (run, shard), and which are finished. */
@Injectable()
export class CampaignRunShardRepository {
  constructor(@InjectModel(CampaignRunShardRecord.name) private readonly model: Model<CampaignRunShardRecord>) {}

  /** Records shards; a shard already there (a repeated batch) keeps its users. Returns how many were new. */
  insertNew(runId: string, shards: readonly PlannedShard[]): Promise<number> {
    return insertNew(
      this.model,
      shards.map((s) => ({ runId, ...s })),
    );
  }

  async findShard(runId: string, shard: number): Promise<CampaignRunShardRecord | undefined> {
    return (await this.model.findOne({ runId, shard }, { _id: 0 }).lean<CampaignRunShardRecord>()) ?? undefined;
  }

  /** The shards numbered from `firstShard` on, with their users. */
  async findFrom(runId: string, firstShard: number): Promise<CampaignRunShardRecord[]> {
    return this.model
      .find({ runId, shard: { $gte: firstShard } }, { _id: 0 })
      .sort({ shard: 1 })
      .lean<CampaignRunShardRecord[]>();
  }

  /** The shard a user of the run was put in. */
  async findShardOf(runId: string, userId: string): Promise<ShardTime | undefined> {
    return (
      (await this.model.findOne({ userIds: userId, runId }, { _id: 0, shard: 1, sendAt: 1 }).lean<ShardTime>()) ??
      undefined
    );
  }

  /** Shards whose job has not processed every user yet (for resuming a paused run). */
  async findUnfinished(runId: string): Promise<ShardTime[]> {
    return this.model
      .find({ runId, finishedAt: { $exists: false } }, { _id: 0, shard: 1, sendAt: 1 })
      .sort({ shard: 1 })
      .lean<ShardTime[]>();
  }

  async hasUnfinished(runId: string): Promise<boolean> {
    return (await this.model.exists({ runId, finishedAt: { $exists: false } })) !== null;
  }

  async markFinished(runId: string, shard: number, at: Date): Promise<void> {
    await this.model.updateOne({ runId, shard, finishedAt: { $exists: false } }, { $set: { finishedAt: at } });
  }

  /** How many users each shard of the run lists. */
  async countUsers(runId: string): Promise<Map<number, number>> {
    const rows = await this.model.aggregate<{ _id: number; n: number }>([
      { $match: { runId } },
      { $project: { _id: '$shard', n: { $size: '$userIds' } } },
    ]);
    return new Map(rows.map((r) => [r._id, r.n]));
  }

  /**
   * Users of unfinished shards whose send time is after `now` (a local-hour run's shards wait for it before
   * their users are composed), with the earliest and latest of those send times; undefined when there are none.
   * One aggregate over the run's shards (by the { runId, shard } index).
   */
  async waitingForSendTime(runId: string, now: Date): Promise<{ n: number; earliest: Date; latest: Date } | undefined> {
    const [row] = await this.model.aggregate<{ n: number; earliest: Date; latest: Date }>([
      { $match: { runId, finishedAt: { $exists: false }, sendAt: { $gt: now } } },
      {
        $group: {
          _id: null,
          n: { $sum: { $size: '$userIds' } },
          earliest: { $min: '$sendAt' },
          latest: { $max: '$sendAt' },
        },
      },
    ]);
    return row && row.n > 0 ? { n: row.n, earliest: row.earliest, latest: row.latest } : undefined;
  }

  /** The runs whose shards list the user. */
  async runIdsOfUser(userId: string): Promise<string[]> {
    const docs = await this.model.find({ userIds: userId }, { _id: 0, runId: 1 }).lean<Array<{ runId: string }>>();
    return [...new Set(docs.map((d) => d.runId))];
  }

  /** Takes the user out of every shard that lists them. */
  async removeUser(userId: string): Promise<number> {
    return (await this.model.updateMany({ userIds: userId }, { $pull: { userIds: userId } })).modifiedCount;
  }
}
