import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from '../../common/metrics/metrics.registry';
import { GRADES } from './domain/judge-types';
import { JourneyJudgementRecord } from './judgement.schema';
import { JudgementRepository } from './judgement.repository';

/** One MongoDB read serves every judge gauge of a scrape (the gauges collect concurrently). */
const SNAPSHOT_MS = 1000;

/**
 * The latest completed judgement in /metrics. Values are read from MongoDB at scrape time, so the API role
 * reports what a worker judged, and every replica reports the same.
 */
@Injectable()
export class JourneyJudgeMetrics {
  private snapshot?: { at: number; latest: Promise<JourneyJudgementRecord | undefined> };

  constructor(
    metrics: MetricsRegistry,
    private readonly judgements: JudgementRepository,
  ) {
    const gauge = (name: string, help: string, read: (j: JourneyJudgementRecord) => number | null | undefined) =>
      metrics.gauge(name, help, [], async (g: Gauge) => {
        const latest = await this.latest();
        const value = latest ? read(latest) : undefined;
        if (value === null || value === undefined) g.reset();
        else g.set(value);
      });
    gauge(
      'journeycast_journey_judge_mean_grade',
      'Mean judge grade (1-5) of the latest judged run',
      (j) => j.summary?.mean,
    );
    gauge(
      'journeycast_journey_judge_share_good',
      'Share of journeys graded 4 or 5 in the latest judged run',
      (j) => j.summary?.shareGood,
    );
    gauge('journeycast_journey_judge_journeys', 'Journeys graded in the latest judged run', (j) => j.summary?.journeys);
    gauge(
      'journeycast_journey_judge_alert',
      '1 when the latest judged run is below JUDGE_ALERT_MIN_MEAN_GRADE, else 0',
      (j) => (j.alert ? Number(j.alert.triggered) : undefined),
    );
    gauge(
      'journeycast_journey_judge_alert_min_mean_grade',
      'The alert threshold the latest judged run was held to',
      (j) => j.alert?.minMeanGrade,
    );
    gauge(
      'journeycast_journey_judge_completed_timestamp_seconds',
      'When the latest judged run finished (Unix seconds)',
      (j) => j.finishedAt && j.finishedAt.getTime() / 1000,
    );
    metrics.gauge(
      'journeycast_journey_judge_grade_journeys',
      'Journeys per judge grade in the latest judged run',
      ['grade'],
      async (g: Gauge<'grade'>) => {
        const distribution = (await this.latest())?.summary?.distribution;
        g.reset();
        if (distribution) for (const grade of GRADES) g.set({ grade: String(grade) }, distribution[String(grade)] ?? 0);
      },
    );
  }

  private latest(): Promise<JourneyJudgementRecord | undefined> {
    const now = Date.now();
    if (!this.snapshot || now - this.snapshot.at > SNAPSHOT_MS) {
      this.snapshot = { at: now, latest: this.judgements.findLatestCompleted() };
    }
    return this.snapshot.latest;
  }
}
