import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import { EVENT_TYPES, EventItem, EventType } from '../../lib/events/activity-event';

/** One stored activity event; `id` is the client's idempotency key. */
@Schema({ collection: 'events', versionKey: false })
export class EventRecord {
  @Prop({ required: true, unique: true })
  id!: string;

  @Prop({ required: true })
  userId!: string;

  @Prop({ type: String, required: true, enum: EVENT_TYPES })
  type!: EventType;

  @Prop({ required: true })
  occurredAt!: Date;

  @Prop()
  query?: string;

  @Prop({ type: SchemaTypes.Mixed })
  item?: EventItem;

  @Prop({ type: SchemaTypes.Mixed })
  board?: { name: string };

  @Prop({ type: SchemaTypes.Mixed })
  properties?: Record<string, unknown>;

  @Prop({ required: true })
  receivedAt!: Date;
}

export const EventSchema = SchemaFactory.createForClass(EventRecord);
// Journey builds read one user's history in time order.
EventSchema.index({ userId: 1, occurredAt: 1 });
// Incremental journey builds select users by when their events arrived, not when they happened.
EventSchema.index({ receivedAt: 1 });
