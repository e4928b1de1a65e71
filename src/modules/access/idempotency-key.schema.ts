import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** How long a request's Idempotency-Key answers its retries with what the first request started. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 3600;

/**
 * The first request sent with an Idempotency-Key: which route and API key sent it, a digest of its body,
 * and the id of what it started. Unique on (route, API key, key), so concurrent retries share one record.
 */
@Schema({ collection: 'idempotency_keys', versionKey: false })
export class IdempotencyKeyRecord {
  @Prop({ required: true }) route!: string;
  @Prop({ required: true }) apiKeyId!: string;
  @Prop({ required: true }) key!: string;
  @Prop({ required: true }) bodyDigest!: string;
  @Prop({ required: true }) resourceId!: string;
  @Prop({ required: true }) createdAt!: Date;
}

export const IdempotencyKeySchema = SchemaFactory.createForClass(IdempotencyKeyRecord);
IdempotencyKeySchema.index({ route: 1, apiKeyId: 1, key: 1 }, { unique: true });
IdempotencyKeySchema.index({ createdAt: 1 }, { expireAfterSeconds: IDEMPOTENCY_KEY_TTL_SECONDS });
