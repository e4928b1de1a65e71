import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import {
  AttemptRecord,
  NOTIFICATION_STATES,
  NotificationMessage,
  NotificationReason,
  NotificationState,
  QuietHoursRule,
  TargetDelivery,
} from './domain/notification';
import type { LocalDateTime } from '../../lib/time/zoned-time';
import type { EmbeddedTracking } from '../tracking/domain/embedded-tracking';

/** One notification per (campaign run, user); see `domain/notification.ts` for the state machine. */
@Schema({ collection: 'notifications', versionKey: false })
export class NotificationRecord {
  @Prop({ required: true, unique: true }) notificationId!: string;
  @Prop({ required: true }) runId!: string;
  @Prop({ required: true }) campaignId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) category!: string;
  @Prop({ type: String, required: true }) channel!: 'push' | 'email';
  @Prop({ type: String, required: true, enum: NOTIFICATION_STATES }) state!: NotificationState;
  @Prop({ type: SchemaTypes.Mixed }) reason?: NotificationReason;
  @Prop() notBefore?: Date;
  @Prop() capSlotAt?: Date;
  @Prop({ type: SchemaTypes.Mixed }) quietHours?: QuietHoursRule;
  @Prop({ type: SchemaTypes.Mixed }) quietWait?: { dueAt: Date; until: Date };
  @Prop({ type: SchemaTypes.Mixed }) localSend?: LocalDateTime;
  @Prop() sendBy?: Date;
  @Prop({ required: true }) timeZone!: string;
  @Prop({ type: [SchemaTypes.Mixed], default: [] }) targets!: TargetDelivery[];
  @Prop({ type: SchemaTypes.Mixed }) sending?: { attemptId: string; startedAt: Date; leaseUntil: Date };
  @Prop({ type: [SchemaTypes.Mixed], default: [] }) attempts!: AttemptRecord[];
  @Prop({ type: SchemaTypes.Mixed }) message?: NotificationMessage;
  @Prop({ type: SchemaTypes.Mixed }) tracking?: EmbeddedTracking;
  @Prop() trackingIssued?: boolean;
  @Prop({ type: SchemaTypes.Mixed }) experiment?: { experimentId: string; armId: string };
  @Prop({ type: SchemaTypes.Mixed }) ranking?: {
    journeyId: string;
    journeyName: string;
    features: Record<string, number>;
  };
  @Prop({ required: true }) createdAt!: Date;
  @Prop() sentAt?: Date;
  @Prop() finishedAt?: Date;
  /** When the sweep of stranded messages last gave it a delivery job (its own was lost). */
  @Prop() redeliveredAt?: Date;
}

export const NotificationSchema = SchemaFactory.createForClass(NotificationRecord);
// The invariant: one notification per (run, user), whatever retries, crashes and duplicate jobs do.
NotificationSchema.index({ runId: 1, userId: 1 }, { unique: true });
// Run counters and "is anything of this run still unsettled?".
NotificationSchema.index({ runId: 1, state: 1, notificationId: 1 });
// A user's notifications: erasure, and conversion attribution (the latest sent within a window).
NotificationSchema.index({ userId: 1, sentAt: -1 });
// Sent notifications by send time: a notification about a journey is the ranker's example once sent.
NotificationSchema.index({ sentAt: 1 }, { sparse: true });
// The sweep of stranded messages: queued ones by send time (or creation when none), and those being sent. Without
// it the sweep would read every unsettled notification; with it, an empty sweep reads no document.
NotificationSchema.index({ state: 1, notBefore: 1, createdAt: 1 });
// Erasure removes a render once no notification refers to it.
NotificationSchema.index({ 'message.renderId': 1 }, { sparse: true });
