import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import type { MetricId } from './domain';

type MetricSums = Partial<Record<MetricId, { sum: number; sumSquares: number }>>;

/**
 * Sufficient statistics of one (experiment, arm, assignment day), kept by atomic increments as users
 * are assigned, delivered to and reach outcomes. A report reads these rows only (arms × days of them),
 * never assignments or outcomes, so its cost does not grow with users.
 */
@Schema({ collection: 'experiment_statistics', versionKey: false })
export class ExperimentStatisticsRecord {
  @Prop({ required: true }) experimentId!: string;
  @Prop({ required: true }) arm!: string;
  @Prop({ required: true }) day!: string;
  @Prop({ default: 0 }) assigned!: number;
  @Prop({ default: 0 }) delivered!: number;
  /** The row's assigned users by the split (`splitKey`) their arm was drawn under; absent on older rows. */
  @Prop({ type: SchemaTypes.Mixed }) splits?: Record<string, number>;
  /** Σy and Σy² per metric over the users assigned that day. */
  @Prop({ type: SchemaTypes.Mixed, default: {} }) sums!: MetricSums;
  /** The same sums by the split of each user, moved with them; absent on older rows, short of outcomes before. */
  @Prop({ type: SchemaTypes.Mixed }) splitSums?: Record<string, MetricSums>;
}

export const ExperimentStatisticsSchema = SchemaFactory.createForClass(ExperimentStatisticsRecord);
ExperimentStatisticsSchema.index({ experimentId: 1, arm: 1, day: 1 }, { unique: true });
