import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import { AttributeValue, ChannelConsent, PushToken } from './domain/user-profile';

/** A push token as stored: with when a profile update last listed it (absent on tokens stored before that was kept). */
export type StoredPushToken = PushToken & { registeredAt?: Date };

@Schema({ collection: 'users', timestamps: true, versionKey: false })
export class UserRecord {
  @Prop({ required: true, unique: true })
  userId!: string;

  @Prop()
  email?: string;

  @Prop({ type: [{ _id: false, platform: String, token: String, registeredAt: Date }], default: [] })
  pushTokens!: StoredPushToken[];

  @Prop()
  locale?: string;

  @Prop()
  timeZone?: string;

  @Prop({ type: SchemaTypes.Mixed, default: {} })
  attributes!: Record<string, AttributeValue>;

  @Prop({ type: { _id: false, email: Boolean, push: Boolean }, default: { email: false, push: false } })
  consent!: ChannelConsent;

  /** Set, with the consent taken back, when an erasure of the user begins; it goes with the profile. */
  @Prop()
  erasingSince?: Date;

  createdAt!: Date;
  updatedAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(UserRecord);
