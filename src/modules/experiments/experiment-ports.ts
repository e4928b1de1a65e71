import type { CampaignDefinition } from '../campaigns/domain/campaign-definition';
import type { ComposeVariant } from '../campaigns/domain/compose-result';

/**
 * The experiments module's promise to the send fan-out: one sticky, deterministic decision per
 * (experiment, user), written when it is made, before any eligibility rule, so every assigned user
 * counts in their arm (intent to treat). Implemented by the experiments module.
 */
export abstract class ExperimentAssignments {
  /**
   * The user's arm in the campaign's experiment (or the global control group). A campaign without an
   * experiment block gets `{ receives: true }` and no experiment. Recorded before returning.
   */
  abstract assign(input: {
    campaign: CampaignDefinition;
    runId: string;
    userId: string;
    now: Date;
  }): Promise<ArmDecision>;
  /** The provider accepted the arm's message for this user (the "delivered" count of the report). */
  abstract recordDelivered(input: ArmDelivery): Promise<void>;
  /** {@link recordDelivered} for many deliveries (a delivery batch), in a few bulk writes. */
  abstract recordDeliveredMany(deliveries: readonly ArmDelivery[]): Promise<void>;
  /**
   * Takes back the assignments of users erased while a run assigned them, as their erasure does: the arms'
   * counts stay, as an erasure leaves them (they are anonymous).
   */
  abstract forgetUsers(userIds: readonly string[]): Promise<void>;
}

/** A provider accepted an experiment arm's message for a user. */
export interface ArmDelivery {
  experimentId: string;
  armId: string;
  userId: string;
  notificationId: string;
  at: Date;
}

export interface ArmDecision {
  /** Absent when the campaign runs no experiment. */
  experimentId?: string;
  /** The variant id, or `holdout` / `global-control`. */
  armId?: string;
  /** False for holdout and global control: they receive nothing but still count. */
  receives: boolean;
  /** What to compose for this arm (copy variant, template, prompt version), when the user receives. */
  variant?: ComposeVariant;
}

/** The experiments module's promise to tracking: outcomes attributed to (experiment, arm, user). */
export abstract class ExperimentOutcomes {
  /** Records one outcome; the experiments module attributes it within the window and deduplicates per user. */
  abstract record(outcome: {
    kind: 'open' | 'click' | 'conversion' | 'unsubscribe';
    /** Mail privacy prefetch or a known proxy: counted apart from human opens. */
    machine?: boolean;
    userId: string;
    /**
     * The campaign whose experiments the outcome counts in. Absent for a conversion reported for no
     * campaign: it counts in every experiment the user is assigned in, each within its own window, so
     * users sent nothing (holdout, suppressed) convert in their arm like everyone else.
     */
    campaignId?: string;
    notificationId?: string;
    /**
     * For an engagement with a notification (an open, a click, an unsubscribe): the experiment the
     * notification was sent under, null when none. It counts in that experiment only, so an open of a new
     * phase's message does not move the phase before it, which the user is still assigned in. Absent for a
     * conversion, which counts in every experiment of its campaign.
     */
    experimentId?: string | null;
    /** The product's id of a conversion: two conversions at the same instant are two outcomes. */
    conversionId?: string;
    at: Date;
    /** Conversion value, when the product reports one. */
    value?: number;
  }): Promise<void>;
  /**
   * Takes back the logged outcomes of a user erased while they were recorded: those of the notification, or
   * of the conversion. The arm's sums stay, as an erasure leaves them: they are anonymous.
   */
  abstract forget(userId: string, of: { notificationId: string } | { conversionId: string }): Promise<void>;
}
