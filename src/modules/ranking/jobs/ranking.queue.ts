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

  /**
   * Queues an on-demand retrain: requests while one waits or runs collapse into it, and one after it finished
   * queues another (it trains on the outcomes logged since).
   */
  enqueueRetrain(): Promise<string> {
    return this.addPastFinished(RANKING_JOBS.retrain, {}, 'retrain', { attempts: 2, backoff: 60_000 });
  }

  scheduleRetrain(cron: string): Promise<void> {
    return this.scheduleRepeatable(RANKING_JOBS.retrain, {}, cron);
  }
}
