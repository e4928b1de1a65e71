import { Injectable } from '@nestjs/common';
import {
  AllocationPeriod,
  ArmDayStatistics,
  ExperimentError,
  ExperimentReport,
  ReportFormatName,
  buildExperimentReport,
  definitionAsOf,
  definitionChangeNotes,
  leftOutNotes,
  renderCsv,
  renderHtml,
  renderJson,
  allocationOf,
  renderMarkdown,
  reportInputFromStatistics,
  splitOf,
  statisticsFromRecords,
  utcDay,
} from './domain';
import { ExperimentAssignmentRepository } from './experiment-assignment.repository';
import { ExperimentOutcomeRepository } from './experiment-outcome.repository';
import { ExperimentRepository } from './experiment.repository';
import { ExperimentRecord } from './experiment.schema';
import { ArmTotals, ExperimentStatisticsRepository } from './experiment-statistics.repository';

/** One experiment in the list: its arms with assigned and delivered users side by side (intent to treat). */
export interface ExperimentSummary {
  experimentId: string;
  campaignId: string;
  name: string;
  channel: string;
  primaryMetric: string;
  arms: Array<{ arm: string; assigned: number; delivered: number }>;
  assigned: number;
  delivered: number;
  /** First and last UTC day a user was assigned; null before the first assignment. */
  firstDay: string | null;
  lastDay: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const RENDERERS: Record<ReportFormatName, { render: (r: ExperimentReport) => string; contentType: string }> = {
  json: { render: renderJson, contentType: 'application/json; charset=utf-8' },
  md: { render: renderMarkdown, contentType: 'text/markdown; charset=utf-8' },
  csv: { render: renderCsv, contentType: 'text/csv; charset=utf-8' },
  html: { render: renderHtml, contentType: 'text/html; charset=utf-8' },
};

/** Reports from the stored sufficient statistics: the API, the CLI and the scheduled job all read them here. */
@Injectable()
export class ExperimentReportsService {
  constructor(
    private readonly experiments: ExperimentRepository,
    private readonly statistics: ExperimentStatisticsRepository,
    private readonly assignments: ExperimentAssignmentRepository,
    private readonly outcomes: ExperimentOutcomeRepository,
  ) {}

  async list(): Promise<ExperimentSummary[]> {
    const [experiments, totals] = await Promise.all([this.experiments.findAll(), this.statistics.totalsByArm()]);
    return experiments.map((e) =>
      summarize(
        e,
        totals.filter((t) => t.experimentId === e.experimentId),
      ),
    );
  }

  /** One keyset page of experiments in id order, without statistics (a report reads those). */
  page(after: string | undefined, limit: number): Promise<ExperimentRecord[]> {
    return this.experiments.findPage(after, limit);
  }

  /**
   * The report of one experiment as of `asOf` (now when absent); `experiments.not-found` for an unknown id.
   * Now or later reads the stored rows; a past instant rebuilds them from what had happened by then, which
   * reads the experiment's assignment records and logged outcomes.
   */
  async report(experimentId: string, asOf?: Date, now = new Date()): Promise<ExperimentReport> {
    const experiment = await this.experiments.findById(experimentId);
    if (!experiment) {
      throw new ExperimentError('experiments.not-found', [
        { field: 'experimentId', message: `no experiment "${experimentId}" (ids are <campaign>.v<version>)` },
      ]);
    }
    const at = asOf ?? now;
    const past = at.getTime() < now.getTime();
    const rows = past ? await this.rowsAsOf(experimentId, at) : await this.statistics.findByExperiment(experimentId);
    // A past instant reads the experiment as it was defined then (its metrics, window and analysis settings).
    const revisions = experiment.revisions ?? [];
    const definition = definitionAsOf(experiment.definition, revisions, at);
    const { input, leftOut } = reportInputFromStatistics(definition, rows, {
      asOf: at,
      allocations: past ? allocationsAsOf(experiment, at) : experiment.allocations,
    });
    const report = buildExperimentReport(input);
    report.notes.unshift(...definitionChangeNotes(revisions, at), ...leftOutNotes(leftOut));
    return report;
  }

  /** The (arm, day) rows as they stood at `asOf`: users assigned and delivered to, and outcomes that happened, by then. */
  private async rowsAsOf(experimentId: string, asOf: Date): Promise<ArmDayStatistics[]> {
    const [counts, outcomes] = await Promise.all([
      this.assignments.countsAsOf(experimentId, asOf),
      this.outcomes.findCountedIn(experimentId, asOf),
    ]);
    const users = await this.assignments.findUsers(experimentId, [...new Set(outcomes.map((o) => o.userId))]);
    return statisticsFromRecords(counts, users, outcomes);
  }

  /** A report rendered in one format, with the HTTP content type of that format. */
  render(report: ExperimentReport, format: ReportFormatName): { body: string; contentType: string } {
    const renderer = RENDERERS[format];
    return { body: renderer.render(report), contentType: renderer.contentType };
  }
}

/**
 * The allocations in force by `at`: those of earlier days, and of `at`'s own day those that a change made by
 * `at` brought in (each change of the split a revision made that day added one, in order), not one of later that
 * day. Without revisions, every allocation of the day.
 */
function allocationsAsOf(experiment: ExperimentRecord, at: Date): AllocationPeriod[] {
  const day = utcDay(at);
  const earlier = experiment.allocations.filter((p) => p.from < day);
  const ofDay = experiment.allocations.filter((p) => p.from === day);
  const revisions = experiment.revisions ?? [];
  if (revisions.length === 0 || ofDay.length === 0) return [...earlier, ...ofDay];
  let changes = 0;
  let previous: string | undefined;
  for (const revision of revisions) {
    const split = splitOf(allocationOf(revision.definition, day));
    if (split !== previous && utcDay(revision.from) === day && revision.from.getTime() <= at.getTime()) changes += 1;
    previous = split;
  }
  return [...earlier, ...ofDay.slice(0, changes)];
}

function summarize(experiment: ExperimentRecord, totals: ArmTotals[]): ExperimentSummary {
  const { definition } = experiment;
  const order = [...definition.variants.map((v) => v.key), 'holdout', 'global-control'];
  const arms = [...totals]
    .sort((a, b) => order.indexOf(a.arm) - order.indexOf(b.arm))
    .map(({ arm, assigned, delivered }) => ({ arm, assigned, delivered }));
  const days = totals.flatMap((t) => [t.firstDay, t.lastDay]).sort();
  return {
    experimentId: experiment.experimentId,
    campaignId: experiment.campaignId,
    name: definition.name,
    channel: experiment.channel,
    primaryMetric: definition.metrics.primary,
    arms,
    assigned: arms.reduce((s, a) => s + a.assigned, 0),
    delivered: arms.reduce((s, a) => s + a.delivered, 0),
    firstDay: days[0] ?? null,
    lastDay: days[days.length - 1] ?? null,
    createdAt: experiment.createdAt,
    updatedAt: experiment.updatedAt,
  };
}
