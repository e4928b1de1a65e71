import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { QueueMetrics } from './queue-metrics';
import { QueueShutdown } from './queue-shutdown';

/**
 * Bull's shared Redis connection; each feature module then calls BullModule.registerQueue for the
 * queue it owns (see jobs/<module>.queue.ts and TypedProducer).
 */
@Module({
  imports: [
    DiscoveryModule,
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Settings, true>) => {
        const redis = config.get('redis', { infer: true });
        return {
          url: redis.url,
          // Bull's own backoff grows to 20 s between attempts, so queues would lag far behind a Redis that is back.
          redis: { retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000) },
          prefix: `${redis.prefix}:bull`,
          // Bounded history: `removeOnComplete: true` races with job.finished() (see stack probe).
          defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000, attempts: 3, backoff: 1000 },
        };
      },
    }),
  ],
  providers: [QueueMetrics, QueueShutdown],
  exports: [BullModule],
})
export class QueueModule {}
