import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CampaignRunRecord } from './runs/campaign-run.schema';
import { RunState } from './runs/domain/run-state';

/** Run states in which a run still sends: pausing its campaign does not stop it. */
const IN_PROGRESS: readonly RunState[] = ['running', 'scheduled'];
/** At most this many runs are listed (a campaign has a few at a time). */
const IN_PROGRESS_LISTED = 100;

/**
 * Reads a campaign's runs that still send, for the campaigns module, which must not depend on the runs module
 * (its queue needs Redis, and every campaigns CLI command but preview runs on MongoDB alone). Never writes.
 */
@Injectable()
export class RunsInProgress {
  constructor(@InjectModel(CampaignRunRecord.name) private readonly runs: Model<CampaignRunRecord>) {}

  /** The campaign's scheduled or running runs, newest first. */
  of(campaignId: string): Promise<CampaignRunRecord[]> {
    return this.runs
      .find({ campaignId, state: { $in: IN_PROGRESS } }, { _id: 0, definition: 0 })
      .sort({ createdAt: -1, runId: -1 })
      .limit(IN_PROGRESS_LISTED)
      .lean<CampaignRunRecord[]>()
      .exec();
  }
}
