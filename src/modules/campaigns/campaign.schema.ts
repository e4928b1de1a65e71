import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import type { CampaignDefinition } from './domain/campaign-definition';
import type { CampaignState } from './domain/campaign-state';
import type { DefinitionProblem } from './domain/load-definition';

/**
 * A campaign's runtime state. The definition lives in git (`campaigns/<id>.yaml`); sync copies the
 * last valid one here with its content hash, and records problems of a file that no longer validates.
 */
@Schema({ collection: 'campaigns', versionKey: false })
export class CampaignRecord {
  @Prop({ required: true, unique: true }) campaignId!: string;
  @Prop({ type: String, required: true }) state!: CampaignState;
  /** The last valid definition (absent when the file never validated). */
  @Prop({ type: SchemaTypes.Mixed }) definition?: CampaignDefinition;
  @Prop() contentHash?: string;
  @Prop({ required: true }) file!: string;
  /** Problems of the file as last synced; a campaign with problems cannot be activated. */
  @Prop({ type: [SchemaTypes.Mixed], default: [] }) problems!: DefinitionProblem[];
  @Prop({ required: true }) syncedAt!: Date;
  @Prop({ required: true }) stateChangedAt!: Date;
  @Prop({ required: true }) stateChangedBy!: string;
  @Prop({ required: true }) createdAt!: Date;
}

export const CampaignSchema = SchemaFactory.createForClass(CampaignRecord);
CampaignSchema.index({ state: 1 });

/**
 * One change of a campaign: sync (created, updated, archived, restored, invalid), state (activated, paused), or a
 * schedule firing handled too late to start its run (firing-too-late, by the scheduler, with a note).
 */
@Schema({ collection: 'campaign_changes', versionKey: false })
export class CampaignChangeRecord {
  @Prop({ required: true }) campaignId!: string;
  @Prop({ required: true }) at!: Date;
  @Prop({ required: true }) actor!: string;
  @Prop({ required: true }) action!: string;
  @Prop({ type: String }) fromState?: CampaignState;
  @Prop({ type: String }) toState?: CampaignState;
  @Prop() contentHash?: string;
  /** What happened, where the action alone does not say (a late firing's due time and lateness). */
  @Prop() note?: string;
  /** The due time of a firing handled too late: one change per due time, however many firings stand for it. */
  @Prop() firingDueAt?: Date;
}

export const CampaignChangeSchema = SchemaFactory.createForClass(CampaignChangeRecord);
CampaignChangeSchema.index({ campaignId: 1, at: -1 });
