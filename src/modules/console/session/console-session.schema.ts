import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One signed-in console session: deleted on sign-out, expired by a TTL index; the cookie only names it. */
@Schema({ collection: 'console_sessions', versionKey: false })
export class ConsoleSessionRecord {
  @Prop({ required: true, unique: true }) sessionId!: string;
  /** The admin API key that signed in; revoking the key ends its sessions. */
  @Prop({ required: true }) keyId!: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) expiresAt!: Date;
}

export const ConsoleSessionSchema = SchemaFactory.createForClass(ConsoleSessionRecord);
ConsoleSessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
