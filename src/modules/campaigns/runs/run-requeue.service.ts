import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../../config/settings';
import { DeliveryProducer } from '../../delivery/jobs/delivery.queue';
import { NotificationRepository } from '../../delivery/notification.repository';
import { CampaignRunLedgerRepository } from './campaign-run-ledger.repository';
import { CampaignRunShardRepository } from './campaign-run-shard.repository';
import { CampaignRunRepository } from './campaign-run.repository';
import { CampaignRunsProducer } from './jobs/campaign-runs.queue';

const PAGE = 1000;

/**
 * What a resume or a cancel sets in motion, under the run's new generation (so every job id is new):
 * a running run gets its unfinished selection and unfinished shards back (and the shards with pending
 * ledger entries of an older selection); every queued notification gets
 * a delivery job, which sends it when the run runs (when it is due) and settles it as cancelled at once
 * when it was cancelled.
 */
@Injectable()
export class RunRequeue {
  private readonly logger = new Logger(RunRequeue.name);

  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly ledger: CampaignRunLedgerRepository,
    private readonly shards: CampaignRunShardRepository,
    private readonly notifications: NotificationRepository,
    private readonly producer: CampaignRunsProducer,
    private readonly deliveries: DeliveryProducer,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  async requeue(runId: string): Promise<void> {
    const run = await this.runs.findById(runId);
    if (!run || (run.state !== 'running' && run.state !== 'cancelled')) return;
    const { generation } = run;
    if (run.state === 'running') {
      if (!run.selectionDone) await this.producer.enqueueStart(runId, generation);
      const { leadMs } = this.config.get('campaigns', { infer: true });
      const shards = [...(await this.shards.findUnfinished(runId)), ...(await this.ledger.findPendingShards(runId))];
      await this.producer.enqueueShards(
        runId,
        generation,
        shards.map(({ shard, sendAt }) => ({ shard, at: sendAt && new Date(sendAt.getTime() - leadMs) })),
      );
    }
    let after = '';
    let notifications = 0;
    for (;;) {
      const page = await this.notifications.findQueued(runId, after, PAGE);
      if (page.length === 0) break;
      // A cancelled run's notifications are settled now, not when they were due (the end of the quiet hours,
      // a local send time): each gives its frequency-cap slot back at once.
      await this.deliveries.enqueueMany(
        page.map((n) => ({
          notificationId: n.notificationId,
          at: run.state === 'cancelled' ? undefined : n.notBefore,
        })),
        generation,
      );
      notifications += page.length;
      after = page[page.length - 1].notificationId;
    }
    this.logger.log({ message: `requeued ${notifications} queued notifications (${run.state})`, runId, generation });
  }
}
