import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  METRICS,
  MetricId,
  definitionAsOf,
  metricsMovedBy,
  statsIncrement,
  windowStarts,
  withinWindow,
} from './domain';
import { ExperimentAssignmentRepository, StoredAssignment } from './experiment-assignment.repository';
import { OutcomeAttribution } from './experiment-outcome.schema';
import { ExperimentOutcomeRepository } from './experiment-outcome.repository';
import { ExperimentOutcomes } from './experiment-ports';
import { ExperimentRepository } from './experiment.repository';
import { ExperimentStatisticsRepository } from './experiment-statistics.repository';

export type Outcome = Parameters<ExperimentOutcomes['record']>[0];

/** The idempotency key of an outcome: the same report twice (a retry) has the same key. */
export function outcomeKey(o: Outcome): string {
  const parts = [
    o.kind,
    o.userId,
    o.campaignId ?? '',
    o.notificationId ?? '',
    o.at.toISOString(),
    o.machine ? 'm' : '',
  ];
  // Keys of outcomes without a conversion id stay as they were, so a retry still finds its outcome.
  const conversion = o.conversionId === undefined ? [] : [o.conversionId];
  return createHash('sha256')
    .update(JSON.stringify([...parts, o.value ?? null, ...conversion]))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Attributes outcomes to (experiment, arm, user). An outcome counts for each experiment of its campaign
 * (of any campaign, for a conversion reported for none) the user is assigned in, when it falls within the
 * attribution window of one of the user's exposures (of a decision, for a conversion: `windowStarts`); an
 * engagement with a notification counts only in the experiment the notification was sent under.
 * A rate moves once per user (the user's value goes 0 → 1 in one atomic conditional write, so a second
 * open or a concurrent duplicate finds it at 1); a count moves once per outcome key. Only then are the
 * arm's Σy and Σy² incremented, on the row of the user's assignment day.
 */
@Injectable()
export class ExperimentOutcomesService extends ExperimentOutcomes {
  private readonly logger = new Logger(ExperimentOutcomesService.name);

  constructor(
    private readonly experiments: ExperimentRepository,
    private readonly assignments: ExperimentAssignmentRepository,
    private readonly statistics: ExperimentStatisticsRepository,
    private readonly log: ExperimentOutcomeRepository,
  ) {
    super();
  }

  async record(outcome: Outcome): Promise<void> {
    // A notification sent under no experiment counts in none: nothing to read.
    if (outcome.experimentId === null) return;
    const key = outcomeKey(outcome);
    if (await this.log.exists(key)) return;
    const assigned =
      outcome.campaignId === undefined
        ? await this.assignments.findByUser(outcome.userId)
        : await this.assignments.findByCampaignAndUser(outcome.campaignId, outcome.userId);
    const counted =
      outcome.experimentId === undefined ? assigned : assigned.filter((a) => a.experimentId === outcome.experimentId);
    if (counted.length === 0) return;
    const attributions: OutcomeAttribution[] = [];
    for (const assignment of counted) attributions.push(await this.attribute(assignment, outcome, key));
    await this.log.insert({
      key,
      kind: outcome.kind,
      ...(outcome.machine !== undefined && { machine: outcome.machine }),
      userId: outcome.userId,
      ...(outcome.campaignId !== undefined && { campaignId: outcome.campaignId }),
      ...(outcome.notificationId && { notificationId: outcome.notificationId }),
      ...(outcome.conversionId !== undefined && { conversionId: outcome.conversionId }),
      at: outcome.at,
      ...(outcome.value !== undefined && { value: outcome.value }),
      attributions,
      recordedAt: new Date(),
    });
  }

  async forget(userId: string, of: { notificationId: string } | { conversionId: string }): Promise<void> {
    await this.log.deleteOf(userId, of);
  }

  private async attribute(assignment: StoredAssignment, outcome: Outcome, key: string): Promise<OutcomeAttribution> {
    const { experimentId, arm, day, split } = assignment;
    const experiment = await this.experiments.findById(experimentId);
    // The window in force when the outcome happened: one reported late (a retried or swept conversion) after the
    // window changed is judged as it would have been on time.
    const windowHours = experiment
      ? definitionAsOf(experiment.definition, experiment.revisions ?? [], outcome.at).attributionWindowHours
      : 0;
    if (!withinWindow(windowStarts(outcome.kind, assignment), outcome.at, windowHours)) {
      return { experimentId, arm, moved: [], skipped: 'outside-window' };
    }
    const moved: MetricId[] = [];
    for (const metric of metricsMovedBy(outcome.kind, assignment.channel, outcome.machine === true)) {
      const value = await this.moveUserValue(assignment, metric, key);
      if (value === undefined) continue;
      try {
        await this.statistics.addToMetric(experimentId, arm, day, metric, statsIncrement(metric, value), split);
      } catch (error) {
        // The user's value moved and the arm's sums did not: a replay would find the value moved and count
        // nothing. Moved back, the outcome is counted by its replay (the report's retry or the pending sweep).
        await this.moveUserValueBack(assignment, metric, key);
        throw error;
      }
      moved.push(metric);
    }
    if (moved.length > 0) {
      this.logger.debug(
        `${outcome.kind} of user ${outcome.userId} moved ${moved.join(', ')} in ${experimentId}/${arm}`,
      );
    }
    return { experimentId, arm, moved };
  }

  /** The user's new value of the metric, or undefined when this outcome does not move it (already counted). */
  private async moveUserValue(
    assignment: StoredAssignment,
    metric: MetricId,
    key: string,
  ): Promise<number | undefined> {
    if (METRICS[metric].kind === 'mean') return this.assignments.incrementCount(assignment._id, metric, key);
    return (await this.assignments.reachRate(assignment._id, metric)) ? 1 : undefined;
  }

  private async moveUserValueBack(assignment: StoredAssignment, metric: MetricId, key: string): Promise<void> {
    if (METRICS[metric].kind === 'mean') await this.assignments.uncount(assignment._id, metric, key);
    else await this.assignments.unreachRate(assignment._id, metric);
  }
}
