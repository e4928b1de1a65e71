import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import { JourneyFact } from './domain/audience-facts';

/**
 * One user's audience facts: profile facts (written when the profile is saved), last activity (when
 * events arrive) and journey facts (when journeys are built). Read only to count and select audiences.
 */
@Schema({ collection: 'audience_facts', versionKey: false })
export class AudienceFactsRecord {
  @Prop({ required: true, unique: true }) userId!: string;
  @Prop({ type: { _id: false, email: Boolean, push: Boolean }, default: { email: false, push: false } })
  consent!: { email: boolean; push: boolean };
  /** Whether the user has an address on the channel (an email, a push token). */
  @Prop({ type: { _id: false, email: Boolean, push: Boolean }, default: { email: false, push: false } })
  reachable!: { email: boolean; push: boolean };
  @Prop() locale?: string;
  @Prop({ type: [String], default: ['-'] }) localeTags!: string[];
  @Prop({ type: SchemaTypes.Mixed, default: {} }) attributes!: Record<string, unknown>;
  @Prop() lastActiveAt?: Date;
  /** The unsubscribe categories the user left (`*`: everything), kept with their unsubscribes. */
  @Prop({ type: [String], default: [] }) unsubscribed!: string[];
  @Prop({ type: [String], default: [] }) journeyTags!: string[];
  @Prop({ type: [SchemaTypes.Mixed], default: [] }) journeys!: JourneyFact[];
  @Prop() journeysBuiltAt?: Date;
  /** Uniform in [0, 1), set once: previews sample users by walking this order from a random point. */
  @Prop({ required: true }) sampleKey!: number;
}

export const AudienceFactsSchema = SchemaFactory.createForClass(AudienceFactsRecord);
// Journey campaigns: stage × type × confidence tags answer most journey rules from the index.
AudienceFactsSchema.index({ journeyTags: 1 });
// Interest campaigns: consent on the channel, then recent activity.
AudienceFactsSchema.index({ 'consent.push': 1, lastActiveAt: 1 });
AudienceFactsSchema.index({ 'consent.email': 1, lastActiveAt: 1 });
AudienceFactsSchema.index({ localeTags: 1 });
// Include terms ("wedding") pick few users out of many.
AudienceFactsSchema.index({ 'journeys.terms': 1 });
AudienceFactsSchema.index({ sampleKey: 1 });
