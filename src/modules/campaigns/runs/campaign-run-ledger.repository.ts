import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertNew } from '../../../common/mongo/insert-new';
import { CampaignRunLedgerRecord, LedgerStatus } from './campaign-run.schema';

/**
 * How one user of a run ended; a user who is `done` has the run's notification for them, found by (run,
 * user), and gets an entry only in a run whose selection wrote pending entries.
 */
export interface LedgerSettlement {
  userId: string;
  status: Exclude<LedgerStatus, 'pending'>;
  arm?: { experimentId: string; armId: string };
  error?: string;
}

/**
 * The per-user ledger of a run, unique on (run, user): an entry for each user who gets no notification
 * (held out, failed). Runs selected before shards listed their users have a pending entry per selected
 * user, settled once processed; those are still read and settled.
 */
@Injectable()
export class CampaignRunLedgerRepository {
  constructor(@InjectModel(CampaignRunLedgerRecord.name) private readonly model: Model<CampaignRunLedgerRecord>) {}

  /** Records users who got no notification; a user recorded already (a re-processed shard) keeps their entry. */
  insertSettled(entries: ReadonlyArray<Omit<CampaignRunLedgerRecord, 'status'> & LedgerSettlement>): Promise<number> {
    return insertNew(this.model, entries);
  }

  /** Which of these users have a settled entry. */
  async findSettled(runId: string, userIds: readonly string[]): Promise<Set<string>> {
    const docs = await this.model
      .find({ runId, userId: { $in: userIds }, status: { $ne: 'pending' } }, { _id: 0, userId: 1 })
      .lean<Array<Pick<CampaignRunLedgerRecord, 'userId'>>>();
    return new Set(docs.map((d) => d.userId));
  }

  /** The pending entries of a shard of a run selected before shards listed their users. */
  async findPendingInShard(runId: string, shard: number): Promise<CampaignRunLedgerRecord[]> {
    return this.model
      .find({ runId, shard, status: 'pending' }, { _id: 0 })
      .sort({ userId: 1 })
      .lean<CampaignRunLedgerRecord[]>();
  }

  async findEntry(runId: string, userId: string): Promise<CampaignRunLedgerRecord | undefined> {
    return (await this.model.findOne({ runId, userId }, { _id: 0 }).lean<CampaignRunLedgerRecord>()) ?? undefined;
  }

  /**
   * Settles pending entries; an entry settled already (a re-processed user) keeps its first settlement.
   * Users settled alike (most of a chunk: done, in the same arm) share one statement. Returns how many
   * entries this call settled.
   */
  async settle(runId: string, settlements: readonly LedgerSettlement[], at: Date): Promise<number> {
    if (settlements.length === 0) return 0;
    const alike = new Map<string, { fields: Omit<LedgerSettlement, 'userId'>; userIds: string[] }>();
    for (const { userId, ...fields } of settlements) {
      const key = JSON.stringify([fields.status, fields.arm?.experimentId, fields.arm?.armId, fields.error]);
      const group = alike.get(key) ?? { fields, userIds: [] };
      group.userIds.push(userId);
      alike.set(key, group);
    }
    // The driver's collection: every fan-out chunk settles here, with values of the schema's types already.
    const result = await this.model.collection.bulkWrite(
      [...alike.values()].map(({ fields, userIds }) => ({
        updateMany: {
          filter: { runId, userId: { $in: userIds }, status: 'pending' },
          update: { $set: { ...fields, settledAt: at } },
        },
      })),
      { ordered: false },
    );
    return result.modifiedCount;
  }

  /** Shards with pending entries and the earliest send time among them (for resuming a paused run). */
  async findPendingShards(runId: string): Promise<Array<{ shard: number; sendAt?: Date }>> {
    const rows = await this.model.aggregate<{ _id: number; sendAt: Date | null }>([
      { $match: { runId, status: 'pending' } },
      { $group: { _id: '$shard', sendAt: { $min: '$sendAt' } } },
    ]);
    return rows.map((r) => ({ shard: r._id, ...(r.sendAt && { sendAt: r.sendAt }) })).sort((a, b) => a.shard - b.shard);
  }

  async hasPending(runId: string): Promise<boolean> {
    return (await this.model.exists({ runId, status: 'pending' })) !== null;
  }

  /** Entries per shard and status. */
  async countByShard(runId: string): Promise<Array<{ shard: number; status: LedgerStatus; n: number }>> {
    const rows = await this.model.aggregate<{ _id: { shard: number; status: LedgerStatus }; n: number }>([
      { $match: { runId } },
      { $group: { _id: { shard: '$shard', status: '$status' }, n: { $sum: 1 } } },
    ]);
    return rows.map((r) => ({ ...r._id, n: r.n }));
  }

  /** The entries of `userIds` in the run. */
  async deleteInRun(runId: string, userIds: readonly string[]): Promise<number> {
    if (userIds.length === 0) return 0;
    return (await this.model.deleteMany({ runId, userId: { $in: [...userIds] } })).deletedCount;
  }

  async deleteByUserId(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }
}
