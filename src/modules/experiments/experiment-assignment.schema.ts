import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import type { ExperimentChannel, MetricId } from './domain';

/**
 * A user's arm in one experiment, written when it is decided, before any eligibility rule (intent to
 * treat), and unique per (experiment, user): the record makes assignment sticky. It also holds the
 * user's own metric values, so an outcome moves the arm's Σy and Σy² at most as the user's y moves.
 */
@Schema({ collection: 'experiment_assignments', versionKey: false })
export class ExperimentAssignmentRecord {
  @Prop({ required: true }) experimentId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) campaignId!: string;
  @Prop({ type: String, required: true }) channel!: ExperimentChannel;
  /** The hash seed the arm was drawn with. */
  @Prop({ required: true }) seed!: string;
  /** A variant key, `holdout` or `global-control`. */
  @Prop({ required: true }) arm!: string;
  /** UTC day of the assignment: the user's cohort in the statistics. */
  @Prop({ required: true }) day!: string;
  @Prop({ required: true }) assignedAt!: Date;
  /** The split (`splitKey` of the weights and holdout share) the arm was drawn under; absent on older records. */
  @Prop() split?: string;
  @Prop({ required: true }) runId!: string;
  /** Decisions and deliveries, the last ones: an outcome counts within the attribution window of one. */
  @Prop({ type: [Date], default: [] }) exposures!: Date[];
  /** The decisions alone, the last ones: a conversion counts within the window of one, in every arm alike. */
  @Prop({ type: [Date], default: undefined }) decisions?: Date[];
  /** The first delivery of the experiment's message to the user. */
  @Prop() deliveredAt?: Date;
  /** The bulk write that gave the first delivery, so only that write counts it (see recordDeliveries). */
  @Prop() firstDeliveryCall?: string;
  /** The experiment's notifications delivered to the user. */
  @Prop({ type: [String], default: [] }) notificationIds!: string[];
  /** The user's value of each metric so far (1 for a rate once reached; the count for a count). */
  @Prop({ type: SchemaTypes.Mixed, default: {} }) values!: Partial<Record<MetricId, number>>;
  /** Keys of the outcomes already counted in a count metric, so a retried outcome is not counted twice. */
  @Prop({ type: [String], default: [] }) countedOutcomes!: string[];
  /** Set when the user's count in the arm's row failed to be written: the next decision about them writes it. */
  @Prop() uncounted?: boolean;
  /** Set when the count of the user's first delivery failed to be written: the next delivery recorded writes it. */
  @Prop() deliveryUncounted?: boolean;
}

export const ExperimentAssignmentSchema = SchemaFactory.createForClass(ExperimentAssignmentRecord);
ExperimentAssignmentSchema.index({ experimentId: 1, userId: 1 }, { unique: true });
ExperimentAssignmentSchema.index({ campaignId: 1, userId: 1 });
ExperimentAssignmentSchema.index({ userId: 1 });
