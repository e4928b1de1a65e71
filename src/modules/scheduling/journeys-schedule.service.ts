import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { JOURNEY_JOBS, JourneysProducer } from '../journeys/jobs/journeys.queue';

/**
 * Registers the journey crons as Bull repeatable jobs with fixed ids: any number of scheduler replicas
 * end up with one schedule each, and a worker does the actual selection and building.
 */
@Injectable()
export class JourneysScheduleService implements OnApplicationBootstrap {
  private readonly logger = new Logger(JourneysScheduleService.name);

  constructor(
    private readonly producer: JourneysProducer,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const journeys = this.config.get('journeys', { infer: true });
    if (!journeys.scheduleEnabled) return;
    await this.producer.schedule(JOURNEY_JOBS.scheduledIncremental, journeys.incrementalCron);
    await this.producer.schedule(JOURNEY_JOBS.retrain, journeys.retrainCron);
    this.logger.log(`journey schedules: incremental "${journeys.incrementalCron}", retrain "${journeys.retrainCron}"`);
  }
}
