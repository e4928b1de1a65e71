import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One unsubscribe: a user from one category, or from every category (`*`). */
@Schema({ collection: 'unsubscribes', versionKey: false })
export class UnsubscribeRecord {
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) category!: string;
  @Prop({ required: true }) at!: Date;
  /** `page` (the confirm form), `one-click` (RFC 8058, from the mailbox provider) or `api`. */
  @Prop({ required: true }) source!: string;
  @Prop() notificationId?: string;
  @Prop() campaignId?: string;
}

export const UnsubscribeSchema = SchemaFactory.createForClass(UnsubscribeRecord);
UnsubscribeSchema.index({ userId: 1, category: 1 }, { unique: true });

/** An address nothing is sent to: stored as a hash, so it can outlive the user's erasure. */
@Schema({ collection: 'suppressions', versionKey: false })
export class SuppressionRecord {
  @Prop({ required: true, unique: true }) addressKey!: string;
  @Prop({ required: true }) reason!: string;
  @Prop({ required: true }) at!: Date;
  @Prop() domain?: string;
}

export const SuppressionSchema = SchemaFactory.createForClass(SuppressionRecord);
