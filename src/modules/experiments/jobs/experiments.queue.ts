import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bull';
import { TypedProducer } from '../../../common/queue/typed-producer';

export const EXPERIMENTS_QUEUE = 'experiments';

export const EXPERIMENT_JOBS = { writeReports: 'experiments.write-reports' } as const;

export interface ExperimentJobs extends Record<string, object> {
  [EXPERIMENT_JOBS.writeReports]: Record<string, never>;
}

/** The experiments queue's producer: the scheduled report job, one schedule however many schedulers. */
@Injectable()
export class ExperimentsProducer extends TypedProducer<ExperimentJobs> {
  constructor(@InjectQueue(EXPERIMENTS_QUEUE) queue: Queue) {
    super(queue);
  }

  scheduleReports(cron: string): Promise<void> {
    return this.scheduleRepeatable(EXPERIMENT_JOBS.writeReports, {}, cron);
  }

  /** Queues a report run now; the id is the minute, so repeated requests within a minute collapse into one. */
  enqueueReports(now: Date): Promise<string> {
    return this.add(EXPERIMENT_JOBS.writeReports, {}, now.toISOString().slice(0, 16));
  }
}
