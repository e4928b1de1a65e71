import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import {
  JourneyBuildRunRecord,
  RunCounts,
  RunKind,
  RunStatus,
  RunTrigger,
  ShardCounts,
} from './journey-build-run.schema';

@Injectable()
export class JourneyBuildRunRepository {
  constructor(@InjectModel(JourneyBuildRunRecord.name) private readonly model: Model<JourneyBuildRunRecord>) {}

  /** Creates the run once; creating it again (a re-delivered start job) returns the stored one. */
  async createOnce(runId: string, kind: RunKind, trigger: RunTrigger, createdAt: Date): Promise<JourneyBuildRunRecord> {
    await this.model
      .updateOne(
        { runId },
        {
          $setOnInsert: {
            runId,
            kind,
            trigger,
            status: 'pending',
            createdAt,
            progressAt: createdAt,
            shardCount: 0,
            doneShards: [],
          },
        },
        { upsert: true },
      )
      .catch((error: unknown) => {
        // The API's request and the worker's start job (or two retries of one request) raced: one created it.
        if (!(error instanceof mongo.MongoServerError) || error.code !== 11000) throw error;
      });
    return (await this.findByRunId(runId))!;
  }

  async findByRunId(runId: string): Promise<JourneyBuildRunRecord | undefined> {
    return (await this.model.findOne({ runId }).lean<JourneyBuildRunRecord>()) ?? undefined;
  }

  /** The latest completed run of these kinds, by finishing time; with `built`, only a run that built a user. */
  async findLatestCompleted(
    kinds: readonly RunKind[],
    { built = false }: { built?: boolean } = {},
  ): Promise<JourneyBuildRunRecord | undefined> {
    const run = await this.model
      .findOne({ kind: { $in: kinds }, status: 'completed', ...(built ? { 'counts.built': { $gt: 0 } } : {}) })
      .sort({ finishedAt: -1 })
      .lean<JourneyBuildRunRecord>();
    return run ?? undefined;
  }

  /** How many runs are in each status (statuses without runs are absent). */
  async countByStatus(): Promise<Partial<Record<RunStatus, number>>> {
    const groups = await this.model.aggregate<{ _id: RunStatus; n: number }>([
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]);
    return Object.fromEntries(groups.map((g) => [g._id, g.n]));
  }

  /** The selection time of the latest run of these kinds that finished selecting. */
  async findLastSelectedAt(kinds: readonly RunKind[]): Promise<Date | undefined> {
    const run = await this.model
      .findOne({ kind: { $in: kinds }, status: { $in: ['running', 'completed'] }, selectedAt: { $exists: true } })
      .sort({ selectedAt: -1 })
      .lean<JourneyBuildRunRecord>();
    return run?.selectedAt;
  }

  /** Records the model the run builds with and what it selects (an incremental run can widen to a full one). */
  async markSelecting(runId: string, kind: RunKind, modelVersion: string, startedAt: Date): Promise<void> {
    await this.model.updateOne(
      { runId, status: { $in: ['pending', 'selecting'] } },
      { $set: { status: 'selecting', kind, modelVersion, startedAt, progressAt: new Date() } },
    );
  }

  async markRunning(runId: string, selectedAt: Date, shardCount: number, selected: number): Promise<void> {
    await this.model.updateOne(
      { runId, status: 'selecting' },
      { $set: { status: 'running', selectedAt, shardCount, 'counts.selected': selected, progressAt: new Date() } },
    );
  }

  /** Replaces a shard's tally of settled users: a re-processed shard overwrites its own, never adds to it. */
  async setShardCounts(runId: string, shard: number, counts: ShardCounts): Promise<void> {
    await this.model.updateOne({ runId }, { $set: { [`shardCounts.${shard}`]: counts } });
  }

  /** Records a finished shard and its final tally; $addToSet makes a re-processed shard count once. */
  async addDoneShard(
    runId: string,
    shard: number,
    counts: ShardCounts,
    timings: Record<string, number>,
  ): Promise<void> {
    const inc = Object.fromEntries(Object.entries(timings).map(([k, v]) => [`timings.${k}`, v]));
    await this.model.updateOne(
      { runId },
      {
        $addToSet: { doneShards: shard },
        $set: { [`shardCounts.${shard}`]: counts, progressAt: new Date() },
        $inc: inc,
      },
    );
  }

  /** Moves a running run whose shards are all done to `completed`; true for the one caller that did it. */
  async completeIfDone(runId: string, counts: RunCounts, finishedAt: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { runId, status: 'running', $expr: { $gte: [{ $size: '$doneShards' }, '$shardCount'] } },
      { $set: { status: 'completed', counts, finishedAt } },
    );
    return result.modifiedCount === 1;
  }

  /**
   * The runs not finished (pending, selecting, running) without progress since `cut`, nor jobs queued again by the
   * sweep since: their jobs may have been lost with Redis's data. Oldest first.
   */
  async findStranded(cut: Date): Promise<JourneyBuildRunRecord[]> {
    const before = (field: keyof JourneyBuildRunRecord) => ({
      $or: [{ [field]: { $exists: false } }, { [field]: { $lt: cut } }],
    });
    return this.model
      .find({
        status: { $in: ['pending', 'selecting', 'running'] },
        createdAt: { $lt: cut },
        $and: [before('progressAt'), before('requeuedAt')],
      })
      .sort({ createdAt: 1 })
      .lean<JourneyBuildRunRecord[]>();
  }

  /** Records that the sweep queued `jobs` jobs of the run again at `at`. */
  async markRequeued(runId: string, jobs: number, at: Date): Promise<void> {
    await this.model.updateOne({ runId }, { $set: { requeuedAt: at }, $inc: { requeuedJobs: jobs } });
  }

  /** Jobs of every stored run the sweep of stranded runs queued again. */
  async countRequeuedJobs(): Promise<number> {
    const [total] = await this.model.aggregate<{ n: number }>([
      { $match: { requeuedJobs: { $gt: 0 } } },
      { $group: { _id: null, n: { $sum: '$requeuedJobs' } } },
    ]);
    return total?.n ?? 0;
  }

  /** The model versions of the runs not finished yet (a model they build with must stay stored). */
  async findModelVersionsInProgress(): Promise<Set<string>> {
    const versions = await this.model.distinct('modelVersion', {
      status: { $in: ['pending', 'selecting', 'running'] },
      modelVersion: { $exists: true },
    });
    return new Set(versions as string[]);
  }

  async markFailed(runId: string, error: string, finishedAt: Date): Promise<void> {
    await this.model.updateOne(
      { runId, status: { $nin: ['completed'] } },
      { $set: { status: 'failed' as RunStatus, error, finishedAt } },
    );
  }

  async addLlmUsage(runId: string, usage: Record<string, number>): Promise<void> {
    const inc = Object.fromEntries(Object.entries(usage).map(([k, v]) => [`llmUsage.${k}`, v]));
    if (Object.keys(inc).length > 0) await this.model.updateOne({ runId }, { $inc: inc });
  }
}
