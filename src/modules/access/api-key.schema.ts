import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SCOPES, Scope } from './domain/api-key';

@Schema({ collection: 'api_keys', timestamps: { createdAt: true, updatedAt: false } })
export class ApiKeyRecord {
  @Prop({ required: true, unique: true })
  keyId!: string;

  @Prop({ required: true, unique: true })
  hash!: string;

  @Prop({ required: true })
  name!: string;

  @Prop({ type: [String], enum: SCOPES, required: true })
  scopes!: Scope[];

  @Prop()
  rateLimit?: number;

  @Prop()
  revokedAt?: Date;

  @Prop()
  expiresAt?: Date;

  @Prop()
  lastUsedAt?: Date;

  createdAt!: Date;
}

export const ApiKeySchema = SchemaFactory.createForClass(ApiKeyRecord);
