import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertNew } from '../../common/mongo/insert-new';
import { JourneyBuildLedgerRecord, LedgerStatus, RunCounts } from './journey-build-run.schema';

const INSERT_BATCH = 5000;

/** How one user of a run ended: built (with its journey count), skipped, or failed (with the error). */
export interface LedgerSettlement {
  userId: string;
  status: Exclude<LedgerStatus, 'pending'>;
  journeys?: number;
  error?: string;
  /** Erased since selection (no events left, or taken back after the commit): the entry goes instead of settling. */
  gone?: boolean;
}

@Injectable()
export class JourneyBuildLedgerRepository {
  constructor(@InjectModel(JourneyBuildLedgerRecord.name) private readonly model: Model<JourneyBuildLedgerRecord>) {}

  /** Records a run's selection as pending entries; entries already there (a repeated selection) are kept. */
  async insertSelection(runId: string, userIds: readonly string[], shardSize: number): Promise<void> {
    for (let start = 0; start < userIds.length; start += INSERT_BATCH) {
      const docs = userIds
        .slice(start, start + INSERT_BATCH)
        .map((userId, i) => ({ runId, userId, shard: Math.floor((start + i) / shardSize), status: 'pending' }));
      await insertNew(this.model, docs);
    }
  }

  /** Forgets an unfinished selection so it can be made again from scratch. */
  async deleteRun(runId: string): Promise<void> {
    await this.model.deleteMany({ runId });
  }

  async findShard(runId: string, shard: number): Promise<JourneyBuildLedgerRecord[]> {
    return this.model.find({ runId, shard }).sort({ userId: 1 }).lean<JourneyBuildLedgerRecord[]>();
  }

  async findEntry(runId: string, userId: string): Promise<JourneyBuildLedgerRecord | undefined> {
    return (await this.model.findOne({ runId, userId }).lean<JourneyBuildLedgerRecord>()) ?? undefined;
  }

  /**
   * Settles users' entries in one bulk write; the (runId, userId) key makes a repeated settlement
   * overwrite, never duplicate. The entry of a user gone since selection is deleted: an erasure that ran
   * before the selection recorded it would otherwise leave their id behind.
   */
  async settleMany(runId: string, settlements: readonly LedgerSettlement[]): Promise<void> {
    if (settlements.length === 0) return;
    const settledAt = new Date();
    await this.model.collection.bulkWrite(
      settlements.map(({ userId, gone, ...details }) =>
        gone
          ? { deleteOne: { filter: { runId, userId } } }
          : { updateOne: { filter: { runId, userId }, update: { $set: { ...details, settledAt } } } },
      ),
      { ordered: false },
    );
  }

  /**
   * Users whose latest settlement after `since`, in any run, is a failure: a failed build stores nothing, so
   * their events alone would not bring them back once older than the next selection's window.
   */
  async findFailedSince(since: Date): Promise<string[]> {
    const rows = await this.model
      .aggregate<{ _id: string }>([
        { $match: { settledAt: { $gt: since }, status: { $ne: 'pending' } } },
        { $sort: { settledAt: 1 } },
        { $group: { _id: '$userId', status: { $last: '$status' } } },
        { $match: { status: 'failed' } },
      ])
      .allowDiskUse(true);
    return rows.map((r) => r._id);
  }

  async countByStatus(runId: string): Promise<RunCounts & { pending: number }> {
    const rows = await this.model.aggregate<{ _id: LedgerStatus; n: number }>([
      { $match: { runId } },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]);
    const n = (status: LedgerStatus) => rows.find((r) => r._id === status)?.n ?? 0;
    const counts = { built: n('built'), skipped: n('skipped'), failed: n('failed'), pending: n('pending') };
    return { selected: counts.built + counts.skipped + counts.failed + counts.pending, ...counts };
  }

  async deleteByUserId(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }
}
