import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import { GeneratedCopy } from './domain/copy-types';

/**
 * LLM copy cached by key (journey signature × variant × locale × prompt version × model): validated
 * copy, or the reason a reply was rejected (kept a day, so users sharing the journey do not re-ask).
 * `userId` is the user whose journey or interest the entry was written from: erasing them erases it.
 */
@Schema({ collection: 'copy_cache', versionKey: false })
export class CopyCacheRecord {
  @Prop({ required: true, unique: true }) key!: string;
  @Prop({ required: true }) signature!: string;
  @Prop({ required: true }) channel!: string;
  @Prop({ required: true }) locale!: string;
  @Prop({ required: true }) promptVersion!: string;
  @Prop({ required: true }) model!: string;
  @Prop({ type: SchemaTypes.Mixed }) copy?: GeneratedCopy;
  @Prop() rejected?: string;
  @Prop() userId?: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop() expiresAt?: Date;
}

export const CopyCacheSchema = SchemaFactory.createForClass(CopyCacheRecord);
// Only rejections carry expiresAt: validated copy stays until its prompt version or model changes.
CopyCacheSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
CopyCacheSchema.index({ userId: 1 }, { sparse: true });
