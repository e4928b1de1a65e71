import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertNew } from '../../common/mongo/insert-new';
import { JourneyBuildLedgerRecord, LedgerStatus, RunCounts } from './journey-build-run.schema';

const INSERT_BATCH = 5000;

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

  /** Settles a user's entry; the (runId, userId) key makes a repeated settlement overwrite, never duplicate. */
  async settle(
    runId: string,
    userId: string,
    status: Exclude<LedgerStatus, 'pending'>,
    details: { journeys?: number; error?: string },
  ): Promise<void> {
    await this.model.updateOne({ runId, userId }, { $set: { status, ...details, settledAt: new Date() } });
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
