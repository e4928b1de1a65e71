import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';

/** A click link of a sent message: the only targets its click tokens can redirect to. */
export interface StoredLink {
  /** `linkKey(link)`: what the click token names. */
  key: string;
  /** The template's link id (`c1`), for reports. */
  id: string;
  url: string;
}

/** Engagement counters; incremented atomically so "first open" is decided once under concurrency. */
export interface EngagementCounts {
  open?: number;
  humanOpen?: number;
  click?: number;
  humanClick?: number;
  pushOpen?: number;
  unsubscribe?: number;
}

/**
 * What tracking keeps about one notification, written when delivery asks for its URLs: attribution
 * facts (user, campaign, run, experiment arm, journey) and the click targets, so tracking never reads
 * delivery's records.
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
