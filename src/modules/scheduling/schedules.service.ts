import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { ExperimentsProducer } from '../experiments/jobs/experiments.queue';
import { JourneyJudgeProducer } from '../journey-judge/jobs/journey-judge.queue';
import { JOURNEY_JOBS, JourneysProducer } from '../journeys/jobs/journeys.queue';
import { CampaignRunsProducer } from '../campaigns/runs/jobs/campaign-runs.queue';
import { DeliveryProducer } from '../delivery/jobs/delivery.queue';
import { RankingProducer } from '../ranking/jobs/ranking.queue';
import { TrackingProducer } from '../tracking/jobs/tracking.queue';

/**
 * Registers every configured cron as a Bull repeatable job with a fixed id: any number of scheduler
 * replicas end up with one schedule each, and the workers do the actual selection, building, training
 * and report writing.
 */
@Injectable()
export class SchedulesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SchedulesService.name);

  constructor(
    private readonly journeysProducer: JourneysProducer,
    private readonly rankingProducer: RankingProducer,
    private readonly experimentsProducer: ExperimentsProducer,
    private readonly judgeProducer: JourneyJudgeProducer,
    private readonly trackingProducer: TrackingProducer,
    private readonly campaignRunsProducer: CampaignRunsProducer,
    private readonly deliveryProducer: DeliveryProducer,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const journeys = this.config.get('journeys', { infer: true });
    if (journeys.scheduleEnabled) {
      await this.journeysProducer.schedule(JOURNEY_JOBS.scheduledIncremental, journeys.incrementalCron);
      await this.journeysProducer.schedule(JOURNEY_JOBS.retrain, journeys.retrainCron);
      this.logger.log(
        `journey schedules: incremental "${journeys.incrementalCron}", retrain "${journeys.retrainCron}"`,
      );
    }
    // Always on: a build run whose start or shard jobs were lost (with Redis's data) stays unfinished otherwise.
    await this.journeysProducer.scheduleStrandedSweep(journeys.strandedCron);
    this.logger.log(`stranded build runs sweep schedule: "${journeys.strandedCron}"`);
    const ranking = this.config.get('ranking', { infer: true });
    if (ranking.scheduleEnabled) {
      await this.rankingProducer.scheduleRetrain(ranking.retrainCron);
      this.logger.log(`ranker retrain schedule: "${ranking.retrainCron}"`);
    }
    const experiments = this.config.get('experiments', { infer: true });
    if (experiments.reportScheduleEnabled) {
      await this.experimentsProducer.scheduleReports(experiments.reportCron);
      this.logger.log(`experiment reports schedule: "${experiments.reportCron}"`);
    }
    const judge = this.config.get('judge', { infer: true });
    if (judge.scheduleEnabled) {
      await this.judgeProducer.scheduleJudge(judge.cron);
      this.logger.log(`journey judge schedule: "${judge.cron}" (the latest full rebuild not judged yet)`);
    }
    // Always on: a conversion whose report failed after it was stored is counted by nothing else when its backend does not retry.
    const { pendingConversionsCron } = this.config.get('tracking', { infer: true });
    await this.trackingProducer.schedulePendingConversions(pendingConversionsCron);
    this.logger.log(`pending conversions schedule: "${pendingConversionsCron}"`);
    // Always on: a run whose last completion check was lost (with a worker, or with an erased user's message) stays running otherwise.
    const { completionCron } = this.config.get('campaigns', { infer: true });
    await this.campaignRunsProducer.scheduleCompletion(completionCron);
    this.logger.log(`campaign run completion schedule: "${completionCron}"`);
    // Always on: a message whose delivery job was lost (with Redis's data, or given up on) is never sent otherwise.
    const { strandedCron } = this.config.get('delivery', { infer: true });
    await this.deliveryProducer.scheduleStrandedSweep(strandedCron);
    this.logger.log(`stranded messages sweep schedule: "${strandedCron}"`);
  }
}
