import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const TRACKING_EVENT_KINDS = ['open', 'click', 'push-open', 'unsubscribe', 'conversion'] as const;
export type TrackingEventKind = (typeof TRACKING_EVENT_KINDS)[number];

/**
 * The raw engagement log, one document per request that carried a valid token (and per attributed
 * conversion), kept for re-analysis: repeats stay in it flagged as such, machine opens with the rule
 * that flagged them, and enough of the request (user agent, truncated address) to classify again.
 */
@Schema({ collection: 'tracking_events', versionKey: false })
export class TrackingEventRecord {
  @Prop({ required: true }) notificationId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) campaignId!: string;
  @Prop({ type: String, required: true, enum: TRACKING_EVENT_KINDS }) kind!: TrackingEventKind;
  @Prop({ required: true }) at!: Date;
  /** An earlier event of the same kind exists for the notification: it counts nowhere. */
  @Prop({ required: true }) repeat!: boolean;
  @Prop() machine?: boolean;
  /** Why the fetch was counted as machine (`apple-mpp`, `scanner`, `too-soon`...). */
  @Prop() machineReason?: string;
  /** A privacy proxy that fetched on the reader's behalf (`google`, `yahoo`): human, but anonymized. */
  @Prop() proxy?: string;
  @Prop() linkId?: string;
  @Prop() url?: string;
  @Prop() category?: string;
  /** How an unsubscribe arrived (`page`, `one-click`), or a push open's reporter. */
  @Prop() source?: string;
  @Prop() conversionId?: string;
  @Prop() value?: number;
  @Prop() userAgent?: string;
  /** The client address cut to its /24 (IPv4) or /48 (IPv6). */
  @Prop() network?: string;
}

export const TrackingEventSchema = SchemaFactory.createForClass(TrackingEventRecord);
TrackingEventSchema.index({ notificationId: 1, at: 1 });
TrackingEventSchema.index({ userId: 1 });
// One event per conversion, however often a retried report finishes it.
TrackingEventSchema.index(
  { conversionId: 1 },
  { unique: true, partialFilterExpression: { conversionId: { $exists: true } } },
);
