import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { MetricId, OutcomeKind } from './domain';

/** Where one outcome went: the experiment and arm it was attributed to, and the metrics it moved. */
export interface OutcomeAttribution {
  experimentId: string;
  arm: string;
  /** Metrics whose Σy this outcome moved; empty when the user had already reached them. */
  moved: MetricId[];
  /** Why nothing was attributed to this experiment. */
  skipped?: 'outside-window';
}

/**
 * The raw log of outcomes of assigned users, kept for re-analysis (another window, another metric);
 * reports never read it. One record per outcome: a retried call finds its key and changes nothing.
 */
@Schema({ collection: 'experiment_outcomes', versionKey: false })
export class ExperimentOutcomeRecord {
  @Prop({ required: true, unique: true }) key!: string;
  @Prop({ type: String, required: true }) kind!: OutcomeKind;
  @Prop() machine?: boolean;
  @Prop({ required: true }) userId!: string;
  /** Absent for a conversion reported for no campaign (counted in every experiment of the user). */
  @Prop() campaignId?: string;
  @Prop() notificationId?: string;
  /** The product's id of a conversion, so the conversion's outcome can be taken back by it. */
  @Prop() conversionId?: string;
  @Prop({ required: true }) at!: Date;
  @Prop() value?: number;
  @Prop({ type: [Object], default: [] }) attributions!: OutcomeAttribution[];
  @Prop({ required: true }) recordedAt!: Date;
}

export const ExperimentOutcomeSchema = SchemaFactory.createForClass(ExperimentOutcomeRecord);
ExperimentOutcomeSchema.index({ userId: 1 });
ExperimentOutcomeSchema.index({ campaignId: 1, at: 1 });
ExperimentOutcomeSchema.index({ 'attributions.experimentId': 1, at: 1 });
