import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Job } from 'bull';
import { Histogram } from 'prom-client';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { bullQueues } from './bull-queues';

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'paused'] as const;

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
    // Read from Redis at each scrape, within the registry's scrape time limit (a hung Redis leaves it out).
    this.metrics.gauge(
      'journeycast_queue_jobs',
      'Jobs in each queue by state (waiting is the backlog), as stored in Redis',
      ['queue', 'state'],
      async (gauge) => {
        gauge.reset();
        await Promise.all(
          queues.map(async (queue) => {
            // A queue whose counts cannot be read is left out; the others are still reported.
            const counts = (await queue.getJobCounts().catch(() => undefined)) as
              Record<string, number | undefined> | undefined;
            if (counts) for (const state of STATES) gauge.set({ queue: queue.name, state }, counts[state] ?? 0);
          }),
        );
      },
    );
  }
}
