import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';

/**
 * One (user, journey) observation logged when a notification about the journey is sent: the ranking
 * features as they were at that moment, and the outcome once tracking reports an open or a click.
 */
@Schema({ collection: 'ranking_examples', versionKey: false })
export class RankingExampleRecord {
  /** The notification the example belongs to: one example per notification. */
  @Prop({ required: true, unique: true }) notificationId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) journeyId!: string;
  @Prop({ required: true }) journeyName!: string;
  @Prop({ required: true }) sentAt!: Date;
  @Prop({ type: SchemaTypes.Mixed, required: true }) features!: Record<string, number>;
  @Prop() openedAt?: Date;
  @Prop() clickedAt?: Date;
}

export const RankingExampleSchema = SchemaFactory.createForClass(RankingExampleRecord);
RankingExampleSchema.index({ sentAt: 1 });
RankingExampleSchema.index({ userId: 1 });

/** A human judgement (from an annotation file) of whether a journey is right for a user. */
@Schema({ collection: 'ranking_annotations', versionKey: false, timestamps: { createdAt: true, updatedAt: false } })
export class RankingAnnotationRecord {
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) journeyName!: string;
  @Prop({ required: true }) label!: number;
}

export const RankingAnnotationSchema = SchemaFactory.createForClass(RankingAnnotationRecord);
RankingAnnotationSchema.index({ userId: 1, journeyName: 1 }, { unique: true });
