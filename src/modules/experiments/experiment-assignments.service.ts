import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import type { CampaignDefinition } from '../campaigns/domain/campaign-definition';
import { GLOBAL_CONTROL_ARM, GlobalControlGroup, HOLDOUT_ARM, inGlobalControl, utcDay } from './domain';
import { ExperimentAssignmentRepository, StoredAssignment } from './experiment-assignment.repository';
import { ArmDecision, ArmDelivery, ExperimentAssignments } from './experiment-ports';
import { ExperimentRegistry, PreparedExperiment } from './experiment-registry.service';
import { ExperimentStatisticsRepository } from './experiment-statistics.repository';

type ExperimentCampaign = CampaignDefinition & { experiment: NonNullable<CampaignDefinition['experiment']> };

/**
 * Sticky, recorded assignment. A user's first decision in an experiment is written (arm, seed, day)
 * before the caller applies any eligibility rule, and counted in the arm's assigned users at once;
 * every later decision reads that record back, whatever the weights say now, and adds an exposure
 * (the start of an attribution window).
 */
@Injectable()
export class ExperimentAssignmentsService extends ExperimentAssignments {
  private readonly logger = new Logger(ExperimentAssignmentsService.name);

  constructor(
    private readonly registry: ExperimentRegistry,
    private readonly assignments: ExperimentAssignmentRepository,
    private readonly statistics: ExperimentStatisticsRepository,
    private readonly config: ConfigService<Settings, true>,
  ) {
    super();
  }

  async assign(input: {
    campaign: CampaignDefinition;
    runId: string;
    userId: string;
    now: Date;
  }): Promise<ArmDecision> {
    const { campaign, userId, now } = input;
    const group = this.globalControl();
    if (!campaign.experiment) {
      // The global control group receives no campaign at all; without an experiment there is nothing to count it in.
      return group && inGlobalControl(userId, group)
        ? { receives: false, armId: GLOBAL_CONTROL_ARM }
        : { receives: true };
    }
    const experiment = this.registry.prepare(campaign as ExperimentCampaign);
    await this.registry.ensureRegistered(experiment, campaign.channel, now);
    const stored = await this.record(campaign as ExperimentCampaign, experiment, input.runId, userId, now, group);
    return stored ? this.decision(campaign as ExperimentCampaign, stored.arm) : { receives: true };
  }

  async forgetUsers(userIds: readonly string[]): Promise<void> {
    if (userIds.length > 0) await this.assignments.deleteByUsers(userIds);
  }

  async recordDelivered(input: ArmDelivery): Promise<void> {
    await this.recordDeliveredMany([input]);
  }

  async recordDeliveredMany(deliveries: readonly ArmDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const { found, first } = await this.assignments.recordDeliveries(deliveries);
    const byUser = new Map(found.map((a) => [`${a.experimentId}\u0000${a.userId}`, a]));
    for (const d of deliveries) {
      const stored = byUser.get(`${d.experimentId}\u0000${d.userId}`);
      if (!stored) {
        this.logger.warn(
          `delivery of ${d.notificationId} to user ${d.userId} who has no assignment in ${d.experimentId}`,
        );
      } else if (stored.arm !== d.armId) {
        this.logger.warn(`delivery of ${d.notificationId} says arm ${d.armId}, user ${d.userId} is in ${stored.arm}`);
      }
    }
    // A first delivery whose count an earlier call failed to write is counted by the call that takes its mark.
    const recount: StoredAssignment[] = [];
    for (const a of found) {
      if (a.deliveryUncounted && !first.includes(a) && (await this.assignments.claimDeliveryUncounted(a._id))) {
        recount.push(a);
      }
    }
    // Delivered counts users, not messages: each record this call delivered first moves its (arm, day) once.
    const counts = new Map<string, { experimentId: string; arm: string; day: string; ids: unknown[] }>();
    for (const { _id, experimentId, arm, day } of [...first, ...recount]) {
      const group = `${experimentId}\u0000${arm}\u0000${day}`;
      const count = counts.get(group) ?? { experimentId, arm, day, ids: [] };
      count.ids.push(_id);
      counts.set(group, count);
    }
    const groups = [...counts.values()];
    for (const [i, { experimentId, arm, day, ids }] of groups.entries()) {
      try {
        await this.statistics.addDelivered(experimentId, arm, day, ids.length);
      } catch (error) {
        // The records stay first delivered: marked, the rows not written are counted when the records are written again.
        await this.assignments.markDeliveriesUncounted(groups.slice(i).flatMap((g) => g.ids));
        throw error;
      }
    }
  }

  /**
   * The user's record: the stored one (sticky, whatever the hash says now), or the hash's decision
   * written and counted in its arm. The hash is computed either way: it costs microseconds, a second
   * round trip would cost milliseconds.
   */
  private async record(
    campaign: ExperimentCampaign,
    experiment: PreparedExperiment,
    runId: string,
    userId: string,
    now: Date,
    globalControl: GlobalControlGroup | null,
  ): Promise<StoredAssignment | undefined> {
    const { definition } = experiment;
    const assignment = experiment.assign(userId, { globalControl });
    if (assignment.status === 'excluded') return undefined;
    const { assignment: stored, inserted } = await this.assignments.recordDecision(
      {
        experimentId: definition.id,
        userId,
        campaignId: campaign.id,
        channel: campaign.channel,
        seed: definition.seed ?? definition.id,
        arm: assignment.status === 'global-control' ? GLOBAL_CONTROL_ARM : assignment.arm,
        day: utcDay(now),
        assignedAt: now,
        split: experiment.split,
        runId,
        values: {},
        countedOutcomes: [],
        notificationIds: [],
      },
      now,
    );
    if (inserted) await this.countAssigned(stored);
    else if (stored.uncounted && (await this.assignments.claimUncounted(stored._id))) await this.countAssigned(stored);
    return stored;
  }

  /**
   * Counts the user in their arm's row. A write that fails leaves the user marked as uncounted before the error
   * goes on, so the decision's retry (which finds the record and inserts nothing) counts them, once.
   */
  private async countAssigned(stored: StoredAssignment): Promise<void> {
    try {
      await this.statistics.addAssigned(stored.experimentId, stored.arm, stored.day, stored.split);
    } catch (error) {
      await this.assignments.markUncounted(stored._id);
      throw error;
    }
  }

  /** What the arm receives: nothing for holdout and global control, the variant's copy otherwise. */
  private decision(campaign: ExperimentCampaign, arm: string): ArmDecision {
    const experimentId = this.registry.prepare(campaign).definition.id;
    if (arm === HOLDOUT_ARM || arm === GLOBAL_CONTROL_ARM) return { experimentId, armId: arm, receives: false };
    const variants = campaign.experiment.variants;
    // A variant removed from the campaign keeps its users counted there (left out of the comparison); they get the control's message.
    const variant = variants.find((v) => v.id === arm) ?? variants[0];
    return {
      experimentId,
      armId: arm,
      receives: true,
      variant: {
        id: variant.id,
        copy: variant.copy,
        ...(variant.template && { template: variant.template }),
        ...(variant.promptVersion && { promptVersion: variant.promptVersion }),
      },
    };
  }

  private globalControl(): GlobalControlGroup | null {
    const { globalControlShare, globalControlSeed } = this.config.get('experiments', { infer: true });
    return globalControlShare > 0 ? { seed: globalControlSeed, share: globalControlShare } : null;
  }
}
