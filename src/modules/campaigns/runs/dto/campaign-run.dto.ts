import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { RunView } from '../campaign-runs.service';
import { MAX_RUNS_LISTED, RUN_STATES, RUN_TRIGGERS, RunState } from '../domain/run-state';
import { RunWaiting, WAIT_KINDS } from '../domain/run-waiting';

const CAMPAIGN_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class StartRunDto {
  @ApiProperty({ description: 'The campaign to run now (it must be synced and valid)' })
  @IsString()
  @Matches(CAMPAIGN_ID, { message: 'campaignId must be a campaign id (lower-case letters, digits, hyphens)' })
  campaignId!: string;
}

export class ListRunsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(CAMPAIGN_ID, { message: 'campaignId must be a campaign id (lower-case letters, digits, hyphens)' })
  campaignId?: string;

  @ApiPropertyOptional({ enum: RUN_STATES })
  @IsOptional()
  @IsIn(RUN_STATES)
  state?: RunState;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RUNS_LISTED, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_RUNS_LISTED)
  limit?: number;
}

export class RunIdParams {
  @IsString()
  @Length(1, 200)
  runId!: string;
}

export class RunUserParams extends RunIdParams {
  @IsString()
  @Length(1, 256)
  userId!: string;
}

export class WaitGroupResponse {
  @ApiProperty({ description: 'Queued notifications that wait for this' }) count!: number;
  @ApiProperty({ description: 'When the first of these waits ends (their earliest notBefore)' }) earliest!: string;
  @ApiProperty({ description: 'When the last of these waits ends (their latest notBefore)' }) latest!: string;
}

export class RunWaitingResponse {
  @ApiProperty({ description: 'When this was read: "due now" and every wait are relative to it' }) at!: string;
  @ApiProperty({ description: 'Queued notifications read (the sum of the groups below)' }) queued!: number;
  @ApiProperty({ description: 'Due (no notBefore, or one passed): waiting for a worker, or being picked up' })
  dueNow!: number;
  @ApiPropertyOptional({ description: 'The run is paused: every queued notification also waits for a resume' })
  runPaused?: number;
  @ApiPropertyOptional({ type: WaitGroupResponse, description: "Held by quiet hours, to the end of the user's night" })
  quietHours?: WaitGroupResponse;
  @ApiPropertyOptional({ type: WaitGroupResponse, description: "A local-hour run's send time in the user's zone" })
  localSend?: WaitGroupResponse;
  @ApiPropertyOptional({ type: WaitGroupResponse, description: "A retry's backoff, after a failed attempt" })
  retry?: WaitGroupResponse;
  @ApiPropertyOptional({ type: WaitGroupResponse, description: 'A later notBefore the record gives no reason for' })
  later?: WaitGroupResponse;
  @ApiPropertyOptional({
    type: WaitGroupResponse,
    description: "A local-hour run's users not composed yet (in counts.pending): their shard waits for their send time",
  })
  pendingSendTime?: WaitGroupResponse;
}

export class CampaignRunResponse {
  @ApiProperty() runId!: string;
  @ApiProperty() campaignId!: string;
  @ApiProperty({ enum: RUN_STATES }) state!: string;
  @ApiProperty({ enum: RUN_TRIGGERS }) trigger!: string;
  @ApiProperty() scheduledFor!: string;
  @ApiPropertyOptional({ description: 'Local-hour runs: the local date every user gets the send on' })
  localDate?: string;
  @ApiPropertyOptional({
    description: 'Audience, pending, held out, eligible, suppressed by reason, queued, sending, sent, failed, errors',
  })
  counts?: Record<string, unknown>;
  @ApiPropertyOptional({
    type: RunWaitingResponse,
    description: 'GET of one run that is not finished and has queued notifications: what they wait for (not in lists)',
  })
  waiting?: RunWaitingResponse;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() startedAt?: string;
  @ApiPropertyOptional() finishedAt?: string;
  @ApiProperty() stateChangedAt!: string;
  @ApiProperty() stateChangedBy!: string;
  @ApiPropertyOptional() error?: string;
}

const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : undefined);

/** The API's view of a run (the frozen definition is left out). */
export function toRunResponse(run: Omit<RunView, 'counts'> & { counts?: RunView['counts'] }): CampaignRunResponse {
  return {
    runId: run.runId,
    campaignId: run.campaignId,
    state: run.state,
    trigger: run.trigger,
    scheduledFor: iso(run.scheduledFor)!,
    ...(run.localDate && { localDate: run.localDate }),
    ...(run.counts && { counts: run.counts as unknown as Record<string, unknown> }),
    ...(run.waiting && { waiting: toWaitingResponse(run.waiting) }),
    createdAt: iso(run.createdAt)!,
    ...(run.startedAt && { startedAt: iso(run.startedAt) }),
    ...(run.finishedAt && { finishedAt: iso(run.finishedAt) }),
    stateChangedAt: iso(run.stateChangedAt)!,
    stateChangedBy: run.stateChangedBy,
    ...(run.error && { error: run.error }),
  };
}

function toWaitingResponse(waiting: RunWaiting): RunWaitingResponse {
  const response: RunWaitingResponse = {
    at: iso(waiting.at)!,
    queued: waiting.queued,
    dueNow: waiting.dueNow,
    ...(waiting.runPaused !== undefined && { runPaused: waiting.runPaused }),
  };
  for (const kind of WAIT_KINDS) {
    const group = waiting[kind];
    if (group) response[kind] = { count: group.count, earliest: iso(group.earliest)!, latest: iso(group.latest)! };
  }
  return response;
}
