import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bull';
import { TypedProducer } from '../../../common/queue/typed-producer';

export const RANKING_QUEUE = 'ranking';

export const RANKING_JOBS = { retrain: 'ranking.retrain' } as const;

export interface RankingJobs extends Record<string, object> {
  [RANKING_JOBS.retrain]: Record<string, never>;
}

/** The ranking queue's producer: one retrain job at a time, on demand or on the configured schedule. */
@Injectable()
export class RankingProducer extends TypedProducer<RankingJobs> {
  constructor(@InjectQueue(RANKING_QUEUE) queue: Queue) {
    super(queue);
  }

  /** Queues a retrain now; the id is the minute, so repeated requests within a minute collapse into one. */
  enqueueRetrain(now: Date): Promise<string> {
    return this.add(RANKING_JOBS.retrain, {}, now.toISOString().slice(0, 16), { attempts: 2, backoff: 60_000 });
  }

  scheduleRetrain(cron: string): Promise<void> {
    return this.scheduleRepeatable(RANKING_JOBS.retrain, {}, cron);
  }
}
