import { Injectable, Optional } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from '../../common/metrics/metrics.registry';
import { ModelRepository } from '../../common/model-store/model.repository';
import { priorModel } from '../ranking/domain';
import { RANKER_MODEL_KIND } from '../ranking/ranker-model.service';
import { JourneyBuildRunRecord, RUN_KINDS, RUN_STATUSES, RunStatus } from './journey-build-run.schema';
import { JourneyBuildRunRepository } from './journey-build-run.repository';
import { PLATFORM_EMBEDDER_KIND } from './platform-embedder.service';

/** One set of MongoDB reads serves every gauge of a scrape (the gauges collect concurrently). */
const SNAPSHOT_MS = 1000;
const USER_RESULTS = ['selected', 'built', 'failed', 'skipped'] as const;

interface Snapshot {
  runs: Partial<Record<RunStatus, number>>;
  latest: Partial<Record<(typeof RUN_KINDS)[number], JourneyBuildRunRecord>>;
  embedder?: { version: string; createdAt: Date };
  ranker: { version: string; createdAt?: Date };
  requeued: number;
}

/**
 * Journey build runs and the models they use, in /metrics. Read from MongoDB at scrape time, so an API
 * replica reports what the workers built, and every replica reports the same.
 */
@Injectable()
export class JourneyBuildMetrics {
  private snapshot?: { at: number; value: Promise<Snapshot> };

  constructor(
    private readonly runs: JourneyBuildRunRepository,
    private readonly models: ModelRepository,
    @Optional() metrics?: MetricsRegistry,
  ) {
    if (!metrics) return;
    const gauge = <L extends string>(
      name: string,
      help: string,
      labels: L[],
      fill: (g: Gauge<L>, s: Snapshot) => void,
    ) =>
      metrics.gauge(name, help, labels, async (g: Gauge<L>) => {
        const s = await this.read();
        g.reset();
        fill(g, s);
      });
    gauge('journeycast_journey_build_runs', 'Journey build runs by status', ['status'], (g, s) => {
      for (const status of RUN_STATUSES) g.set({ status }, s.runs[status] ?? 0);
    });
    gauge(
      'journeycast_journey_build_last_run_users',
      'Users of the latest completed run, by result',
      ['kind', 'result'],
      (g, s) => {
        for (const [kind, run] of Object.entries(s.latest)) {
          for (const result of USER_RESULTS) g.set({ kind, result }, run.counts?.[result] ?? 0);
        }
      },
    );
    gauge(
      'journeycast_journey_build_last_run_duration_seconds',
      'Start to finish of the latest completed run',
      ['kind'],
      (g, s) => {
        for (const [kind, run] of Object.entries(s.latest)) {
          const started = run.startedAt ?? run.createdAt;
          if (run.finishedAt) g.set({ kind }, (run.finishedAt.getTime() - started.getTime()) / 1000);
        }
      },
    );
    gauge(
      'journeycast_journey_build_last_run_completed_timestamp_seconds',
      'When the latest completed run finished (Unix seconds)',
      ['kind'],
      (g, s) => {
        for (const [kind, run] of Object.entries(s.latest)) {
          if (run.finishedAt) g.set({ kind }, run.finishedAt.getTime() / 1000);
        }
      },
    );
    gauge('journeycast_journey_embedder_info', 'The platform embedder builds use (value 1)', ['version'], (g, s) => {
      if (s.embedder) g.set({ version: s.embedder.version }, 1);
    });
    gauge('journeycast_journey_embedder_age_seconds', 'Seconds since the platform embedder was trained', [], (g, s) => {
      if (s.embedder) g.set((Date.now() - s.embedder.createdAt.getTime()) / 1000);
    });
    gauge(
      'journeycast_journey_ranker_info',
      'The ranker builds use (value 1; prior-1 before any is trained)',
      ['version'],
      (g, s) => {
        g.set({ version: s.ranker.version }, 1);
      },
    );
    metrics.counter(
      'journeycast_journey_build_requeued_jobs_total',
      'Start and shard jobs the sweep of stranded runs queued again (lost with Redis, or given up on), all workers',
      [],
      async (c) => {
        const n = (await this.read()).requeued;
        c.reset();
        c.inc(n);
      },
    );
  }

  private read(): Promise<Snapshot> {
    const now = Date.now();
    if (!this.snapshot || now - this.snapshot.at > SNAPSHOT_MS) {
      const value = this.load();
      value.catch(() => (this.snapshot = undefined));
      this.snapshot = { at: now, value };
    }
    return this.snapshot.value;
  }

  private async load(): Promise<Snapshot> {
    const [runs, latest, [embedder], [ranker], requeued] = await Promise.all([
      this.runs.countByStatus(),
      Promise.all(RUN_KINDS.map(async (kind) => [kind, await this.runs.findLatestCompleted([kind])] as const)),
      this.models.listVersions(PLATFORM_EMBEDDER_KIND, 1),
      this.models.listVersions(RANKER_MODEL_KIND, 1),
      this.runs.countRequeuedJobs(),
    ]);
    return {
      runs,
      latest: Object.fromEntries(latest.filter(([, run]) => run !== undefined)),
      embedder,
      ranker: ranker ?? { version: priorModel().version },
      requeued,
    };
  }
}
