import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import { StoredJourney } from './stored-journey';

/** One user's current journeys, the build before them (for diffs) and the facts of the build that made them. */
@Schema({ collection: 'user_journeys', versionKey: false })
export class UserJourneysRecord {
  @Prop({ required: true, unique: true }) userId!: string;
  @Prop({ type: [SchemaTypes.Mixed], default: [] }) journeys!: StoredJourney[];
  @Prop({ type: SchemaTypes.Mixed }) previous?: { journeys: StoredJourney[]; generatedAt: Date; buildRunId: string };
  @Prop({ required: true }) generatedAt!: Date;
  @Prop({ required: true }) modelVersion!: string;
  /** The run that committed this build: a shard re-processed after a crash skips users already at this run. */
  @Prop({ required: true }) buildRunId!: string;
  @Prop({ required: true, default: 0 }) buildCount!: number;
  /** Latest receipt time of the events this build read; later events make the user a candidate again. */
  @Prop() eventsReceivedThrough?: Date;
  /** Which bulk commit wrote this build, so that commit can tell its own writes from earlier ones. */
  @Prop() commitId?: string;
}

export const UserJourneysSchema = SchemaFactory.createForClass(UserJourneysRecord);
// The journey judge samples the users of one build run.
UserJourneysSchema.index({ buildRunId: 1 });
