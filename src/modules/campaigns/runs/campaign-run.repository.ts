import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { CampaignRunRecord } from './campaign-run.schema';
import { RunCounts, RunState } from './domain/run-state';

export interface RunFilter {
  campaignId?: string;
  state?: RunState;
  limit: number;
}

/** Campaign runs: every state change is a conditional write on the state it expects. */
@Injectable()
export class CampaignRunRepository {
  constructor(@InjectModel(CampaignRunRecord.name) private readonly model: Model<CampaignRunRecord>) {}

  /** Creates the run unless it exists (a firing delivered twice); returns the stored run and whether it is new. */
  async createOnce(run: CampaignRunRecord): Promise<{ run: CampaignRunRecord; created: boolean }> {
    const result = await this.model
      .updateOne({ runId: run.runId }, { $setOnInsert: run }, { upsert: true })
      .catch((error: unknown) => {
        // Two requests starting one run raced on its unique id: the other one created it.
        if (!(error instanceof mongo.MongoServerError) || error.code !== 11000) throw error;
        return { upsertedCount: 0 };
      });
    return { run: (await this.findById(run.runId))!, created: result.upsertedCount === 1 };
  }

  async findById(runId: string): Promise<CampaignRunRecord | undefined> {
    return (await this.model.findOne({ runId }, { _id: 0 }).lean<CampaignRunRecord>()) ?? undefined;
  }

  /** The newest runs first, without their frozen definitions. */
  async list(filter: RunFilter): Promise<CampaignRunRecord[]> {
    const query = {
      ...(filter.campaignId && { campaignId: filter.campaignId }),
      ...(filter.state && { state: filter.state }),
    };
    return this.model
      .find(query, { _id: 0, definition: 0 })
      .sort({ createdAt: -1 })
      .limit(filter.limit)
      .lean<CampaignRunRecord[]>();
  }

  /**
   * One newest-first page after a position (`createdAt`, then `runId` to break ties), read from the
   * `createdAt` indexes so a deep page costs what the first one costs. Without frozen definitions.
   */
  async findPage(
    filter: { campaignId?: string },
    after: { createdAt: Date; runId: string } | undefined,
    limit: number,
  ): Promise<CampaignRunRecord[]> {
    const position = after && {
      $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, runId: { $lt: after.runId } }],
    };
    return this.model
      .find({ ...(filter.campaignId && { campaignId: filter.campaignId }), ...position }, { _id: 0, definition: 0 })
      .sort({ createdAt: -1, runId: -1 })
      .limit(limit)
      .lean<CampaignRunRecord[]>();
  }

  /** Which of these runs are running now. */
  async runningAmong(runIds: readonly string[]): Promise<string[]> {
    if (runIds.length === 0) return [];
    const docs = await this.model
      .find({ runId: { $in: runIds }, state: 'running' }, { _id: 0, runId: 1 })
      .lean<Array<Pick<CampaignRunRecord, 'runId'>>>();
    return docs.map((d) => d.runId);
  }

  /** Those of `runIds` that completed at `since` or later. */
  async completedSinceAmong(runIds: readonly string[], since: Date): Promise<string[]> {
    if (runIds.length === 0) return [];
    const docs = await this.model
      .find({ runId: { $in: runIds }, state: 'completed', finishedAt: { $gte: since } }, { _id: 0, runId: 1 })
      .lean<Array<Pick<CampaignRunRecord, 'runId'>>>();
    return docs.map((d) => d.runId);
  }

  async findRunning(): Promise<CampaignRunRecord[]> {
    return this.model.find({ state: 'running' }, { _id: 0, definition: 0 }).lean<CampaignRunRecord[]>();
  }

  async markStarted(runId: string, at: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { runId, state: 'scheduled' },
      { $set: { state: 'running', startedAt: at, stateChangedAt: at, stateChangedBy: 'system' } },
    );
    return result.modifiedCount === 1;
  }

  /**
   * Records when a run that was paused before it started (and so went from `paused` to `running` by a resume,
   * never through {@link markStarted}) started: at its first selection after the resume.
   */
  async markStartedOnResume(runId: string, at: Date): Promise<void> {
    await this.model.updateOne({ runId, state: 'running', startedAt: { $exists: false } }, { $set: { startedAt: at } });
  }

  /**
   * Moves the selection past one batch: only from the cursor it expects, so of two workers repeating a
   * batch one moves it. `shardCount` only grows: the next batch numbers its shards from it.
   */
  async advanceSelection(runId: string, from: string | undefined, to: string, shardCount: number): Promise<boolean> {
    const result = await this.model.updateOne(
      { runId, cursor: from ?? { $exists: false } },
      { $set: { cursor: to }, $max: { shardCount } },
    );
    return result.modifiedCount === 1;
  }

  async finishSelection(runId: string): Promise<void> {
    await this.model.updateOne({ runId }, { $set: { selectionDone: true } });
  }

  /** Changes the state if it is one of `from`; true when this call changed it. */
  async transition(
    runId: string,
    from: readonly RunState[],
    to: RunState,
    actor: string,
    at: Date,
    inc: Partial<Record<'generation', number>> = {},
  ): Promise<boolean> {
    const result = await this.model.updateOne(
      { runId, state: { $in: from } },
      {
        $set: { state: to, stateChangedAt: at, stateChangedBy: actor, ...(to === 'cancelled' && { finishedAt: at }) },
        ...(Object.keys(inc).length > 0 && { $inc: inc }),
      },
    );
    return result.modifiedCount === 1;
  }

  /** The one write that completes a running run whose selection is done; true for the caller that made it. */
  async complete(runId: string, counts: RunCounts, at: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { runId, state: 'running', selectionDone: true },
      { $set: { state: 'completed', counts, finishedAt: at, stateChangedAt: at, stateChangedBy: 'system' } },
    );
    return result.modifiedCount === 1;
  }

  /** Records final counters of a run that ended otherwise (cancelled, failed). */
  async saveCounts(runId: string, counts: RunCounts): Promise<void> {
    await this.model.updateOne({ runId }, { $set: { counts } });
  }

  async markFailed(runId: string, error: string, at: Date): Promise<void> {
    await this.model.updateOne(
      { runId, state: { $in: ['scheduled', 'running', 'paused'] } },
      { $set: { state: 'failed', error, finishedAt: at, stateChangedAt: at, stateChangedBy: 'system' } },
    );
  }
}
