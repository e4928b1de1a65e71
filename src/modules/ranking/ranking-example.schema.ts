import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';

/**
 * One (user, journey) observation logged when a notification about the journey was sent, by versions
 * whose notifications did not serve as their own example: the ranking features as they were at that
 * moment, and the outcome once tracking reports an open or a click. Still read and still labelled.
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

/** The ranking features a notification was composed with, and the outcomes only the ranker writes. */
export interface CarriedExample {
  journeyId: string;
  journeyName: string;
  features: Record<string, number>;
  openedAt?: Date;
  clickedAt?: Date;
}

/**
 * The ranker's view of a notification document (the `notifications` collection, whose writer is
 * delivery): a notification about a journey carries the features it was ranked with (`ranking`, written
 * by its creation) and its send time (`sentAt`, written by its acceptance), which make it an example.
 * Only the ranker writes the outcome times inside `ranking`. The index of sent notifications by send
 * time is the collection's own.
 */
@Schema({ collection: 'notifications', versionKey: false, autoIndex: false, autoCreate: false })
export class NotificationRankingView {
  @Prop({ required: true }) notificationId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop() sentAt?: Date;
  @Prop({ type: SchemaTypes.Mixed }) ranking?: CarriedExample;
}

export const NotificationRankingViewSchema = SchemaFactory.createForClass(NotificationRankingView);

/** A human judgement (from an annotation file) of whether a journey is right for a user. */
@Schema({ collection: 'ranking_annotations', versionKey: false, timestamps: { createdAt: true, updatedAt: false } })
export class RankingAnnotationRecord {
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) journeyName!: string;
  @Prop({ required: true }) label!: number;
}

export const RankingAnnotationSchema = SchemaFactory.createForClass(RankingAnnotationRecord);
RankingAnnotationSchema.index({ userId: 1, journeyName: 1 }, { unique: true });
