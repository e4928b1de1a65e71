import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import { GradeSummary, WorstExample } from './domain/grade-stats';
import { JudgementCounts, JudgementStatus, JudgementTrigger } from './domain/judgement-report';
import { GradeChange } from './domain/run-change';

/** One judged sample of a build run: who judged it, what it cost, and the grades' summary. */
@Schema({ collection: 'journey_judgements', versionKey: false })
export class JourneyJudgementRecord {
  @Prop({ required: true, unique: true }) judgementId!: string;
  @Prop({ required: true }) buildRunId!: string;
  @Prop({ type: String, required: true }) trigger!: JudgementTrigger;
  @Prop({ type: String, required: true }) status!: JudgementStatus;
  @Prop({ required: true }) model!: string;
  @Prop({ required: true }) promptVersion!: string;
  @Prop({ required: true }) topK!: number;
  @Prop({ required: true }) seed!: string;
  /** The sampled user ids, fixed when the judgement starts so a resumed judgement judges the same users. */
  @Prop({ type: [String], default: [] }) sample!: string[];
  @Prop({ required: true }) tokenBudget!: number;
  @Prop({ type: SchemaTypes.Mixed }) counts?: JudgementCounts;
  @Prop() tokensSpent?: number;
  @Prop() budgetExhausted?: boolean;
  @Prop({ type: SchemaTypes.Mixed }) summary?: GradeSummary;
  @Prop({ type: [SchemaTypes.Mixed], default: [] }) worst!: WorstExample[];
  @Prop({ type: SchemaTypes.Mixed }) previous?: { judgementId: string; buildRunId: string; sameJudge: boolean };
  @Prop({ type: [SchemaTypes.Mixed], default: [] }) changes!: GradeChange[];
  @Prop({ type: SchemaTypes.Mixed }) alert?: { minMeanGrade: number; triggered: boolean };
  @Prop({ type: [SchemaTypes.Mixed], default: [] }) failures!: Array<{ userId: string; reason: string }>;
  @Prop() error?: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop() finishedAt?: Date;
}

export const JourneyJudgementSchema = SchemaFactory.createForClass(JourneyJudgementRecord);
JourneyJudgementSchema.index({ buildRunId: 1, createdAt: -1 });
JourneyJudgementSchema.index({ status: 1, finishedAt: -1 });

export const JUDGED_USER_STATUSES = ['judged', 'failed', 'skipped-budget', 'left-run'] as const;
export type JudgedUserStatus = (typeof JUDGED_USER_STATUSES)[number];

/** One graded journey of a judged user; `shownName` is the name as the judge saw it (identifiers masked). */
export interface JudgedJourney {
  journeyId: string;
  name: string;
  shownName: string;
  rank: number;
  grade: number;
  explanation: string;
}

/** What the judge made of one sampled user in one judgement; written once per (judgement, user). */
@Schema({ collection: 'journey_judged_users', versionKey: false })
export class JudgedUserRecord {
  @Prop({ required: true }) judgementId!: string;
  @Prop({ required: true }) buildRunId!: string;
  @Prop({ required: true }) userId!: string;
  @Prop({ type: String, required: true, enum: JUDGED_USER_STATUSES }) status!: JudgedUserStatus;
  @Prop({ required: true, default: false }) cached!: boolean;
  @Prop() cacheKey?: string;
  @Prop({ type: [SchemaTypes.Mixed], default: [] }) journeys!: JudgedJourney[];
  @Prop() reason?: string;
  @Prop({ required: true, default: 0 }) tokens!: number;
  @Prop({ required: true }) judgedAt!: Date;
}

export const JudgedUserSchema = SchemaFactory.createForClass(JudgedUserRecord);
JudgedUserSchema.index({ judgementId: 1, userId: 1 }, { unique: true });
JudgedUserSchema.index({ userId: 1 });

/**
 * A judge reply, cached by (activity hash, journeys hash, prompt version, model): judging an unchanged user
 * again costs nothing. `userIds` lists whose data produced it, so erasing a user erases their entries.
 */
@Schema({ collection: 'journey_judge_cache', versionKey: false })
export class JudgeCacheRecord {
  @Prop({ required: true, unique: true }) key!: string;
  @Prop({ required: true }) activityHash!: string;
  @Prop({ required: true }) journeysHash!: string;
  @Prop({ required: true }) promptVersion!: string;
  @Prop({ required: true }) model!: string;
  @Prop({ type: [SchemaTypes.Mixed], required: true }) grades!: Array<{ grade: number; explanation: string }>;
  @Prop({ type: [String], default: [] }) userIds!: string[];
  @Prop({ required: true }) createdAt!: Date;
}

export const JudgeCacheSchema = SchemaFactory.createForClass(JudgeCacheRecord);
JudgeCacheSchema.index({ userIds: 1 });
// Entries of old prompt versions or models are never read again; activity moves on within months anyway.
JudgeCacheSchema.index({ createdAt: 1 }, { expireAfterSeconds: 180 * 86_400 });
