import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import type { CampaignDefinition } from '../domain/campaign-definition';
import { RUN_STATES, RUN_TRIGGERS, RunCounts, RunState, RunTrigger } from './domain/run-state';

/**
 * One campaign run. The definition is frozen when the run is created, so a sync in the middle of a
 * run changes nothing about it. The audience is read in batches after `cursor` (user id order); the
 * run completes when the selection is done, every shard is finished and no notification is unsettled.
 */
@Schema({ collection: 'campaign_runs', versionKey: false })
export class CampaignRunRecord {
  @Prop({ required: true, unique: true }) runId!: string;
  @Prop({ required: true }) campaignId!: string;
  @Prop({ required: true }) contentHash!: string;
  @Prop({ type: SchemaTypes.Mixed, required: true }) definition!: CampaignDefinition;
  @Prop({ type: String, required: true, enum: RUN_TRIGGERS }) trigger!: RunTrigger;
  @Prop({ type: String, required: true, enum: RUN_STATES }) state!: RunState;
  /** The firing (or manual start) the run belongs to. */
  @Prop({ required: true }) scheduledFor!: Date;
  /** Local-hour runs: the local date every user gets the send on. */
  @Prop() localDate?: string;
  /** The last user id the selection got to; a restarted selection continues after it. */
  @Prop() cursor?: string;
  @Prop({ required: true, default: false }) selectionDone!: boolean;
  @Prop({ required: true, default: 0 }) shardCount!: number;
  /** Incremented by each resume, so the jobs it enqueues have ids of their own. */
  @Prop({ required: true, default: 0 }) generation!: number;
  /** LLM copy budget of the whole run, shared by every worker. */
  @Prop({ type: SchemaTypes.Mixed, required: true }) copyBudget!: { calls: number; tokens: number };
  /** Counters as of completion (live counters are computed on read). */
  @Prop({ type: SchemaTypes.Mixed }) counts?: RunCounts;
  @Prop() error?: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop() startedAt?: Date;
  @Prop() finishedAt?: Date;
  @Prop({ required: true }) stateChangedAt!: Date;
  @Prop({ required: true }) stateChangedBy!: string;
}

export const CampaignRunSchema = SchemaFactory.createForClass(CampaignRunRecord);
CampaignRunSchema.index({ campaignId: 1, createdAt: -1 });
CampaignRunSchema.index({ state: 1, createdAt: -1 });
CampaignRunSchema.index({ createdAt: -1 });

/**
 * One shard of a run, written once by the selection: the users it put in the shard (in user id order),
 * which the shard job processes. A user of it is done when the run has a notification or a ledger entry
 * for them, so nothing else is written for a user who gets a notification. `finishedAt` is set when the
 * shard job has processed every user of it.
 */
@Schema({ collection: 'campaign_run_shards', versionKey: false })
export class CampaignRunShardRecord {
  @Prop({ required: true }) runId!: string;
  @Prop({ required: true }) shard!: number;
  @Prop({ type: [String], required: true }) userIds!: string[];
  /** Local-hour runs: the send time every user of the shard shares. */
  @Prop() sendAt?: Date;
  @Prop() finishedAt?: Date;
}

export const CampaignRunShardSchema = SchemaFactory.createForClass(CampaignRunShardRecord);
CampaignRunShardSchema.index({ runId: 1, shard: 1 }, { unique: true });
// Explain and erasure find a user's shards.
CampaignRunShardSchema.index({ userIds: 1 });

export const LEDGER_STATUSES = ['pending', 'held-out', 'done', 'failed'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

/**
 * The run's ledger: an entry per (run, user) who gets no notification: held out by the experiment, or
 * failed with an error. A user who gets one (sent or suppressed) has the notification, unique on (run,
 * user) as well, and no entry. Runs selected before shards listed their users have an entry per selected
 * user, written `pending` at selection and settled (`done` for a notified user) when processed.
 */
@Schema({ collection: 'campaign_run_ledger', versionKey: false })
export class CampaignRunLedgerRecord {
  @Prop({ required: true }) runId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) shard!: number;
  @Prop({ type: String, required: true, enum: LEDGER_STATUSES }) status!: LedgerStatus;
  /** Local-hour runs: the user's send time. */
  @Prop() sendAt?: Date;
  @Prop({ type: SchemaTypes.Mixed }) arm?: { experimentId: string; armId: string };
  @Prop() error?: string;
  @Prop() settledAt?: Date;
}

export const CampaignRunLedgerSchema = SchemaFactory.createForClass(CampaignRunLedgerRecord);
CampaignRunLedgerSchema.index({ runId: 1, userId: 1 }, { unique: true });
CampaignRunLedgerSchema.index({ runId: 1, shard: 1 });
CampaignRunLedgerSchema.index({ runId: 1, status: 1 });
CampaignRunLedgerSchema.index({ userId: 1 });
