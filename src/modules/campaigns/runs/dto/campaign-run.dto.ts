import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { RunView } from '../campaign-runs.service';
import { MAX_RUNS_LISTED, RUN_STATES, RUN_TRIGGERS, RunState } from '../domain/run-state';

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
    createdAt: iso(run.createdAt)!,
    ...(run.startedAt && { startedAt: iso(run.startedAt) }),
    ...(run.finishedAt && { finishedAt: iso(run.finishedAt) }),
    stateChangedAt: iso(run.stateChangedAt)!,
    stateChangedBy: run.stateChangedBy,
    ...(run.error && { error: run.error }),
  };
}
