import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Job } from 'bull';
import { Gauge, Histogram } from 'prom-client';
import { withinMs } from '../../lib/concurrency/within-ms';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { bullQueues } from './bull-queues';

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'paused'] as const;
/** Commands wait for a reconnecting Redis; a scrape must not. */
const COUNTS_TIMEOUT_MS = 1000;

/**
 * Every Bull queue of the app in /metrics: jobs by state, read from Redis at each scrape (so any role
 * shows the whole deployment's backlog), and how long the jobs this process ran took.
 */
@Injectable()
export class QueueMetrics implements OnApplicationBootstrap {
  private readonly durations: Histogram<'queue' | 'job' | 'outcome'>;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly metrics: MetricsRegistry,
  ) {
    this.durations = metrics.histogram(
      'journeycast_queue_job_duration_seconds',
      'Run time of the jobs this process ran, by queue, job name and outcome',
      ['queue', 'job', 'outcome'],
      [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    );
  }

  onApplicationBootstrap(): void {
    const queues = bullQueues(this.discovery);
    for (const queue of queues) {
      const observe = (outcome: string) => (job: Job) => {
        if (job.processedOn && job.finishedOn) {
          this.durations.observe(
            { queue: queue.name, job: job.name, outcome },
            (job.finishedOn - job.processedOn) / 1000,
          );
        }
      };
      queue.on('completed', observe('completed'));
      queue.on('failed', observe('failed'));
    }
    if (this.metrics.registry.getSingleMetric('journeycast_queue_jobs')) return;
    new Gauge({
      name: 'journeycast_queue_jobs',
      help: 'Jobs in each queue by state (waiting is the backlog), as stored in Redis',
      labelNames: ['queue', 'state'],
      registers: [this.metrics.registry],
      async collect() {
        this.reset();
        await Promise.all(
          queues.map(async (queue) => {
            // A scrape during a Redis outage reports what it can rather than failing the whole page.
            const counts = await withinMs(queue.getJobCounts(), COUNTS_TIMEOUT_MS).catch(() => undefined);
            const byState = (counts ?? {}) as Record<string, number | undefined>;
            if (counts) for (const state of STATES) this.set({ queue: queue.name, state }, byState[state] ?? 0);
          }),
        );
      },
    });
  }
}
