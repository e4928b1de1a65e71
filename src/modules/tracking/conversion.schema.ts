import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A conversion reported by the product's backend, with the notification it was attributed to (if any). */
@Schema({ collection: 'conversions', versionKey: false })
export class ConversionRecord {
  /** The reporter's id: the idempotency key. */
  @Prop({ required: true, unique: true }) conversionId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) occurredAt!: Date;
  @Prop() value?: number;
  /** The campaign the reporter named, which restricted attribution. */
  @Prop() reportedCampaignId?: string;
  /** The user's last notification sent within the window before the conversion; unset: unattributed. */
  @Prop() notificationId?: string;
  @Prop() campaignId?: string;
  @Prop({ required: true }) receivedAt!: Date;
  /**
   * Set until the conversion's event and experiment outcomes are written: a report that failed after
   * storing it is finished by the retry or the scheduled sweep. Absent on conversions stored before it
   * existed, which were.
   */
  @Prop() pending?: boolean;
}

export const ConversionSchema = SchemaFactory.createForClass(ConversionRecord);
ConversionSchema.index({ userId: 1 });
ConversionSchema.index({ receivedAt: 1 }, { partialFilterExpression: { pending: true } });
