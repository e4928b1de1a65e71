import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { JourneyJudgementRecord } from './judgement.schema';

export type NewJudgement = Pick<
  JourneyJudgementRecord,
  | 'judgementId'
  | 'buildRunId'
  | 'trigger'
  | 'model'
  | 'promptVersion'
  | 'topK'
  | 'seed'
  | 'sample'
  | 'tokenBudget'
  | 'createdAt'
>;

export type JudgementOutcome = Pick<
  JourneyJudgementRecord,
  'counts' | 'tokensSpent' | 'budgetExhausted' | 'summary' | 'worst' | 'previous' | 'changes' | 'alert' | 'failures'
>;

@Injectable()
export class JudgementRepository {
  constructor(@InjectModel(JourneyJudgementRecord.name) private readonly model: Model<JourneyJudgementRecord>) {}

  /** Creates the judgement once; creating it again (a re-delivered job, a retry) returns the stored one. */
  async createOnce(judgement: NewJudgement): Promise<JourneyJudgementRecord> {
    await this.model.updateOne(
      { judgementId: judgement.judgementId },
      { $setOnInsert: { ...judgement, status: 'running' } },
      { upsert: true },
    );
    return (await this.findByJudgementId(judgement.judgementId))!;
  }

  async findByJudgementId(judgementId: string): Promise<JourneyJudgementRecord | undefined> {
    return (await this.model.findOne({ judgementId }).lean<JourneyJudgementRecord>()) ?? undefined;
  }

  /** The latest judgement of a build run: the one `GET /v1/journey-runs/:id/judgement` shows. */
  async findLatestOfRun(buildRunId: string): Promise<JourneyJudgementRecord | undefined> {
    const found = await this.model.findOne({ buildRunId }).sort({ createdAt: -1 }).lean<JourneyJudgementRecord>();
    return found ?? undefined;
  }

  /** The latest completed judgement of any run: what /metrics reports. */
  async findLatestCompleted(): Promise<JourneyJudgementRecord | undefined> {
    const found = await this.model
      .findOne({ status: 'completed' }, { sample: 0 })
      .sort({ finishedAt: -1 })
      .lean<JourneyJudgementRecord>();
    return found ?? undefined;
  }

  /** The latest completed judgement of another build run created before `before`: the one to compare with. */
  async findPreviousCompleted(buildRunId: string, before: Date): Promise<JourneyJudgementRecord | undefined> {
    const found = await this.model
      .findOne({ status: 'completed', buildRunId: { $ne: buildRunId }, createdAt: { $lt: before } }, { sample: 0 })
      .sort({ createdAt: -1 })
      .lean<JourneyJudgementRecord>();
    return found ?? undefined;
  }

  async complete(judgementId: string, outcome: JudgementOutcome, finishedAt: Date): Promise<void> {
    await this.model.updateOne({ judgementId }, { $set: { ...outcome, status: 'completed', finishedAt } });
  }

  async markFailed(judgementId: string, error: string, finishedAt: Date): Promise<void> {
    await this.model.updateOne(
      { judgementId, status: { $ne: 'completed' } },
      { $set: { status: 'failed', error, finishedAt } },
    );
  }

  /** Removes a user from every judgement's sample, worst examples and failures. */
  async forgetUser(userId: string): Promise<number> {
    const result = await this.model.updateMany(
      { $or: [{ sample: userId }, { 'worst.userId': userId }, { 'failures.userId': userId }] },
      { $pull: { sample: userId, worst: { userId }, failures: { userId } } },
    );
    return result.modifiedCount;
  }
}
