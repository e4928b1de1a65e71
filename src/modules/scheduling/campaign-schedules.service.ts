import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { CampaignsService } from '../campaigns/campaigns.service';
import { oncePassed, repeatOf } from '../campaigns/runs/domain/run-schedule';
import { CampaignRunsProducer } from '../campaigns/runs/jobs/campaign-runs.queue';

/**
 * Keeps the campaign runs queue's schedules equal to the active campaigns: a repeatable job per cron or
 * local-hour campaign (keyed by campaign id, so any number of scheduler replicas register it once), a
 * delayed job per one-off campaign (keyed by campaign and instant), and no schedule for a paused or
 * archived one. Runs at startup and every CAMPAIGN_SCHEDULES_SYNC_MS; a firing of a campaign paused in
 * between starts nothing, because the run is only created for an active campaign.
 */
@Injectable()
export class CampaignSchedules implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CampaignSchedules.name);
  private timer?: NodeJS.Timeout;
  private syncing?: Promise<void>;

  constructor(
    private readonly campaigns: CampaignsService,
    private readonly producer: CampaignRunsProducer,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { scheduleEnabled, scheduleSyncMs } = this.config.get('campaigns', { infer: true });
    if (!scheduleEnabled) return;
    await this.sync();
    this.timer = setInterval(() => void this.sync(), scheduleSyncMs);
    this.timer.unref();
  }

  /** Before the queues stop (at application shutdown): a sync under way still writes the schedules it read. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.syncing;
  }

  /** Registers what active campaigns need and removes what the others left; errors are logged, retried next time. */
  sync(now = new Date()): Promise<void> {
    this.syncing ??= this.reconcile(now)
      .catch((error: Error) => this.logger.warn(`campaign schedules not synced: ${error.message}`))
      .finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async reconcile(now: Date): Promise<void> {
    const active = (await this.campaigns.list()).filter((c) => c.state === 'active' && c.definition);
    const repeating = new Set<string>();
    for (const { campaignId, definition } of active) {
      const schedule = definition!.schedule;
      const repeat = repeatOf(schedule);
      if (repeat) {
        repeating.add(campaignId);
        await this.producer.scheduleCampaign(campaignId, repeat);
      } else if (schedule.type === 'once' && !oncePassed(schedule, now)) {
        await this.producer.enqueueOnce(campaignId, new Date(schedule.at));
      }
    }
    for (const registered of await this.producer.scheduledCampaigns()) {
      if (repeating.has(registered.campaignId)) continue;
      await this.producer.unscheduleCampaign(registered.key);
      this.logger.log({ message: 'schedule removed (campaign not active)', campaignId: registered.campaignId });
    }
  }
}
