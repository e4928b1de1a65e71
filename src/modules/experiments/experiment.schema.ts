import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import type { AllocationPeriod, DefinitionRevision, ExperimentChannel, ExperimentDefinition } from './domain';

/**
 * One experiment: a campaign's experiment block under one version (`<campaign>.v<version>`), registered
 * by the first assignment. The definition is the latest one assigned with; allocations record every
 * change of weights or holdout share, so the SRM check compares each day with what was in force, and
 * revisions every definition with when it took effect, so a report as of a past instant reads the
 * experiment as it was defined then and notes what changed (absent on experiments registered before).
 */
@Schema({ collection: 'experiments', versionKey: false })
export class ExperimentRecord {
  @Prop({ required: true, unique: true }) experimentId!: string;
  @Prop({ required: true }) campaignId!: string;
  @Prop({ type: String, required: true }) channel!: ExperimentChannel;
  @Prop({ type: SchemaTypes.Mixed, required: true }) definition!: ExperimentDefinition;
  @Prop({ required: true }) definitionHash!: string;
  @Prop({ type: [SchemaTypes.Mixed], default: [] }) allocations!: AllocationPeriod[];
  @Prop({ type: [SchemaTypes.Mixed], default: undefined }) revisions?: DefinitionRevision[];
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
}

export const ExperimentSchema = SchemaFactory.createForClass(ExperimentRecord);
ExperimentSchema.index({ campaignId: 1 });
