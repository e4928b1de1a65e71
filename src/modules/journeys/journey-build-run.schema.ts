import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';

/** Incremental: users with events received since their last build. Full: every user with events. */
export const RUN_KINDS = ['incremental', 'full'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
/** What started the run: the cron, a person (API or CLI), or a retrained embedder. */
export const RUN_TRIGGERS = ['schedule', 'manual', 'retrain'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
export const RUN_STATUSES = ['pending', 'selecting', 'running', 'completed', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunCounts {
  selected: number;
  built: number;
  failed: number;
  skipped: number;
}

export type ShardCounts = Omit<RunCounts, 'selected'>;

/** One build run: what it selected, how far its shards got, and what it cost. */
@Schema({ collection: 'journey_build_runs', versionKey: false })
export class JourneyBuildRunRecord {
  @Prop({ required: true, unique: true }) runId!: string;
  @Prop({ type: String, required: true, enum: RUN_KINDS }) kind!: RunKind;
  @Prop({ type: String, required: true, enum: RUN_TRIGGERS }) trigger!: RunTrigger;
  @Prop({ type: String, required: true, enum: RUN_STATUSES }) status!: RunStatus;
  /** The embedder version every user of the run is built with. */
  @Prop() modelVersion?: string;
  /** Events received after this time make a user a candidate of the next incremental run. */
  @Prop() selectedAt?: Date;
  @Prop({ required: true, default: 0 }) shardCount!: number;
  /** Shards finished, added with $addToSet so a re-processed shard counts once. */
  @Prop({ type: [Number], default: [] }) doneShards!: number[];
  @Prop({ type: SchemaTypes.Mixed, default: { selected: 0, built: 0, failed: 0, skipped: 0 } }) counts!: RunCounts;
  /**
   * Each shard's settled users by status so far (key: shard number), rewritten whole after every batch it
   * settles: the live progress of an unfinished run, read without counting its ledger.
   */
  @Prop({ type: SchemaTypes.Mixed, default: {} }) shardCounts!: Record<string, ShardCounts>;
  @Prop({ type: SchemaTypes.Mixed, default: {} }) llmUsage!: Record<string, number>;
  /** Sum over shards of the time spent building, per step. */
  @Prop({ type: SchemaTypes.Mixed, default: {} }) timings!: Record<string, number>;
  @Prop() error?: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop() startedAt?: Date;
  @Prop() finishedAt?: Date;
  /** The run's last progress: its creation, a status change, a shard finished (absent on runs older than it). */
  @Prop() progressAt?: Date;
  /** When the sweep of stranded runs last queued jobs of the run again, and how many in all. */
  @Prop() requeuedAt?: Date;
  @Prop() requeuedJobs?: number;
}

export const JourneyBuildRunSchema = SchemaFactory.createForClass(JourneyBuildRunRecord);
JourneyBuildRunSchema.index({ kind: 1, status: 1, createdAt: -1 });
JourneyBuildRunSchema.index({ status: 1, progressAt: 1 });

export const LEDGER_STATUSES = ['pending', 'built', 'skipped', 'failed'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

/**
 * The build ledger: one entry per (run, selected user), written at selection and settled by the build.
 * `skipped` means the user's journeys already carried this run (a shard re-processed after a crash).
 */
@Schema({ collection: 'journey_build_ledger', versionKey: false })
export class JourneyBuildLedgerRecord {
  @Prop({ required: true }) runId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop({ required: true }) shard!: number;
  @Prop({ type: String, required: true, enum: LEDGER_STATUSES }) status!: LedgerStatus;
  @Prop() journeys?: number;
  @Prop() error?: string;
  @Prop() settledAt?: Date;
}

export const JourneyBuildLedgerSchema = SchemaFactory.createForClass(JourneyBuildLedgerRecord);
JourneyBuildLedgerSchema.index({ runId: 1, userId: 1 }, { unique: true });
JourneyBuildLedgerSchema.index({ runId: 1, shard: 1 });
JourneyBuildLedgerSchema.index({ userId: 1 });
// One entry per user per run adds up; settled entries only matter while a run is inspected.
JourneyBuildLedgerSchema.index({ settledAt: 1 }, { expireAfterSeconds: 90 * 86_400 });
