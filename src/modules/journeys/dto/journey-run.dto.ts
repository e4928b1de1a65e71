import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { JourneyBuildRunRecord, RUN_KINDS, RunKind } from '../journey-build-run.schema';

export class CreateJourneyRunDto {
  @ApiProperty({
    enum: RUN_KINDS,
    description: 'incremental: users with events since their last build; full: every user',
  })
  @IsIn(RUN_KINDS)
  kind!: RunKind;
}

export class RunIdParams {
  @IsString()
  @Length(1, 200)
  runId!: string;
}

export class JourneyRunResponse {
  @ApiProperty() runId!: string;
  @ApiProperty({ enum: RUN_KINDS }) kind!: string;
  @ApiProperty({ enum: ['schedule', 'manual', 'retrain'] }) trigger!: string;
  @ApiProperty({ enum: ['pending', 'selecting', 'running', 'completed', 'failed'] }) status!: string;
  @ApiPropertyOptional() modelVersion?: string;
  @ApiProperty() shardCount!: number;
  @ApiProperty() doneShards!: number;
  @ApiProperty({ example: { selected: 100, built: 98, skipped: 0, failed: 2 } }) counts!: Record<string, number>;
  @ApiProperty({ description: 'LLM calls, cache hits, fallbacks and tokens of the run' }) llmUsage!: Record<
    string,
    number
  >;
  @ApiProperty() timings!: Record<string, number>;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() startedAt?: string;
  @ApiPropertyOptional() finishedAt?: string;
  @ApiPropertyOptional() error?: string;
}

export function toJourneyRunResponse(run: JourneyBuildRunRecord): JourneyRunResponse {
  return {
    runId: run.runId,
    kind: run.kind,
    trigger: run.trigger,
    status: run.status,
    ...(run.modelVersion !== undefined && { modelVersion: run.modelVersion }),
    shardCount: run.shardCount,
    doneShards: run.doneShards.length,
    counts: { ...run.counts },
    llmUsage: run.llmUsage ?? {},
    timings: run.timings ?? {},
    createdAt: run.createdAt.toISOString(),
    ...(run.startedAt && { startedAt: run.startedAt.toISOString() }),
    ...(run.finishedAt && { finishedAt: run.finishedAt.toISOString() }),
    ...(run.error !== undefined && { error: run.error }),
  };
}
