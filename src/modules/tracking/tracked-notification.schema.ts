import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import type { EmbeddedTracking, EngagementCounts, StoredLink } from './domain/embedded-tracking';

export type { EmbeddedTracking, EngagementCounts, StoredLink };

/**
 * What tracking kept about one notification in a collection of its own, written when delivery asked for
 * its URLs: attribution facts (user, campaign, run, experiment arm, journey) and the click targets.
 * Notifications created since carry these in their own document (`NotificationTrackingView`); records
 * already issued here still verify, redirect and count.
 */
@Schema({ collection: 'tracked_notifications', versionKey: false })
export class TrackedNotificationRecord {
  @Prop({ required: true, unique: true }) notificationId!: string;
  @Prop({ required: true }) runId!: string;
  @Prop({ required: true }) campaignId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop({ type: String, required: true }) channel!: 'push' | 'email';
  @Prop({ required: true }) category!: string;
  @Prop() experimentId?: string;
  @Prop() armId?: string;
  @Prop() journeyId?: string;
  @Prop({ type: [SchemaTypes.Mixed], default: [] }) links!: StoredLink[];
  @Prop({ required: true }) issuedAt!: Date;
  @Prop() sentAt?: Date;
  @Prop({ type: SchemaTypes.Mixed, default: {} }) counts!: EngagementCounts;
  @Prop() firstOpenAt?: Date;
  @Prop() firstHumanOpenAt?: Date;
  @Prop() firstClickAt?: Date;
}

export const TrackedNotificationSchema = SchemaFactory.createForClass(TrackedNotificationRecord);
// Conversion attribution: a user's latest sent notification before an instant.
TrackedNotificationSchema.index({ userId: 1, sentAt: -1 });

/**
 * Tracking's view of a notification document (the `notifications` collection, whose writer is delivery):
 * the identity fields every notification has from its creation, the send time its acceptance writes,
 * the template its message was rendered from, and the `tracking` field, which only tracking reads and whose engagement counters only tracking
 * writes. The index conversions need ({userId, sentAt}) is the collection's own.
 */
@Schema({ collection: 'notifications', versionKey: false, autoIndex: false, autoCreate: false })
export class NotificationTrackingView {
  @Prop({ required: true }) notificationId!: string;
  @Prop({ required: true }) runId!: string;
  @Prop({ required: true }) campaignId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop({ type: String, required: true }) channel!: 'push' | 'email';
  @Prop({ required: true }) category!: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop() sentAt?: Date;
  @Prop({ type: SchemaTypes.Mixed }) tracking?: EmbeddedTracking;
  /** The template and variant the message was rendered from (absent before it was composed). */
  @Prop({ type: SchemaTypes.Mixed }) message?: { template?: { ref: string; locale: string } };
}

export const NotificationTrackingViewSchema = SchemaFactory.createForClass(NotificationTrackingView);
