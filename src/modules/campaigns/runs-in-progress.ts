import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CampaignRunRecord } from './runs/campaign-run.schema';
import { RunState } from './runs/domain/run-state';

/** Run states in which a run still sends: pausing its campaign does not stop it. */
const IN_PROGRESS: readonly RunState[] = ['running', 'scheduled'];
/** At most this many runs of each such state are listed (a campaign has a few at a time). */
const IN_PROGRESS_LISTED = 50;

/**
 * Reads a campaign's runs that still send, for the campaigns module, which must not depend on the runs module
 * (its queue needs Redis, and every campaigns CLI command but preview runs on MongoDB alone). Never writes.
 */
@Injectable()
export class RunsInProgress {
  constructor(@InjectModel(CampaignRunRecord.name) private readonly runs: Model<CampaignRunRecord>) {}

  /** The campaign's scheduled or running runs, newest first, at most IN_PROGRESS_LISTED of each state. */
  async of(campaignId: string): Promise<CampaignRunRecord[]> {
    const lists = await Promise.all(
      IN_PROGRESS.map((state) =>
        this.runs
          .find({ campaignId, state }, { _id: 0, definition: 0 })
          .sort({ createdAt: -1 })
          .limit(IN_PROGRESS_LISTED)
          .lean<CampaignRunRecord[]>(),
      ),
    );
    return lists.flat().sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.runId.localeCompare(a.runId));
  }
}
