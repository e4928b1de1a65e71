import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import type { RenderedMessage } from '../templates/template.types';

/**
 * One rendered message, stored once under its content address (`renderIdOf`) however many
 * notifications carry it: notifications stay small for every insert, claim and state write, and a
 * message that thousands of users get identically is written once.
 */
@Schema({ collection: 'message_renders', versionKey: false })
export class MessageRenderRecord {
  @Prop({ required: true, unique: true }) renderId!: string;
  @Prop({ type: SchemaTypes.Mixed, required: true }) rendered!: RenderedMessage;
  @Prop({ required: true }) createdAt!: Date;
  /** When a run last stored it (before and again after creating its notifications): erasure keeps it then. */
  @Prop() usedAt?: Date;
}

export const MessageRenderSchema = SchemaFactory.createForClass(MessageRenderRecord);
