import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { CampaignChangeRecord, CampaignRecord } from '../campaign.schema';
import { CAMPAIGN_STATES, runsGoingOnText } from '../domain/campaign-state';
import { CampaignRunRecord } from '../runs/campaign-run.schema';
import { RUN_TRIGGERS } from '../runs/domain/run-state';
import { DefinitionProblem } from '../domain/load-definition';

export class CampaignIdParams {
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    message: 'campaignId must be a campaign id (lower-case letters, digits, hyphens)',
  })
  campaignId!: string;
}

export class DefinitionProblemResponse {
  @ApiProperty() file!: string;
  @ApiProperty() line!: number;
  @ApiProperty() column!: number;
  @ApiProperty({ description: 'Field path in the definition, e.g. experiment.variants[1].weight' }) path!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ enum: ['yaml', 'schema', 'rule', 'template'] }) kind!: string;
}

export class CampaignChangeResponse {
  @ApiProperty() at!: string;
  @ApiProperty({ description: 'cli:<user>, key:<keyId>, or scheduler for a late firing' }) actor!: string;
  @ApiProperty({
    enum: ['created', 'updated', 'archived', 'restored', 'invalid', 'activated', 'paused', 'firing-too-late'],
  })
  action!: string;
  @ApiPropertyOptional({ enum: CAMPAIGN_STATES }) fromState?: string;
  @ApiPropertyOptional({ enum: CAMPAIGN_STATES }) toState?: string;
  @ApiPropertyOptional() contentHash?: string;
  @ApiPropertyOptional({ description: "A late firing's due time and lateness" }) note?: string;
}

export class CampaignSummaryResponse {
  @ApiProperty() campaignId!: string;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional({ enum: ['push', 'email'] }) channel?: string;
  @ApiProperty({ enum: CAMPAIGN_STATES }) state!: string;
  @ApiProperty({ description: 'Whether the definition as last synced is valid (an invalid one cannot be activated)' })
  valid!: boolean;
  @ApiPropertyOptional() contentHash?: string;
  @ApiProperty() file!: string;
  @ApiProperty() syncedAt!: string;
  @ApiProperty() stateChangedAt!: string;
  @ApiProperty() stateChangedBy!: string;
}

export class RunInProgressResponse {
  @ApiProperty() runId!: string;
  @ApiProperty({ enum: ['scheduled', 'running'] }) state!: string;
  @ApiProperty({ enum: RUN_TRIGGERS }) trigger!: string;
  @ApiProperty() createdAt!: string;
}

export class PausedCampaignResponse extends CampaignSummaryResponse {
  @ApiProperty({
    type: [RunInProgressResponse],
    description: 'Runs the campaign already started that go on sending, newest first: pausing the campaign stops none',
  })
  runsInProgress!: RunInProgressResponse[];
  @ApiPropertyOptional({ description: 'When runs go on: that they do, and how to stop one' })
  notice?: string;
}

export class CampaignResponse extends CampaignSummaryResponse {
  @ApiPropertyOptional({ description: 'The last valid definition, with defaults filled in' })
  definition?: Record<string, unknown>;
  @ApiProperty({ type: [DefinitionProblemResponse] }) problems!: DefinitionProblemResponse[];
  @ApiProperty({ type: [CampaignChangeResponse], description: 'Latest changes first' })
  changes!: CampaignChangeResponse[];
}

const problemOf = (p: DefinitionProblem): DefinitionProblemResponse => ({
  file: p.file,
  line: p.line,
  column: p.column,
  path: p.path,
  message: p.message,
  kind: p.kind,
});

export function toCampaignSummary(c: CampaignRecord): CampaignSummaryResponse {
  return {
    campaignId: c.campaignId,
    ...(c.definition && { name: c.definition.name, channel: c.definition.channel }),
    state: c.state,
    valid: c.definition !== undefined && c.problems.length === 0,
    ...(c.contentHash && { contentHash: c.contentHash }),
    file: c.file,
    syncedAt: c.syncedAt.toISOString(),
    stateChangedAt: c.stateChangedAt.toISOString(),
    stateChangedBy: c.stateChangedBy,
  };
}

export function toPausedCampaignResponse(c: CampaignRecord, runs: CampaignRunRecord[]): PausedCampaignResponse {
  const text = runsGoingOnText(runs.length);
  return {
    ...toCampaignSummary(c),
    runsInProgress: runs.map((run) => ({
      runId: run.runId,
      state: run.state,
      trigger: run.trigger,
      createdAt: run.createdAt.toISOString(),
    })),
    ...(runs.length > 0 && {
      notice: `${text.going} ${text.stop} (POST /v1/campaign-runs/:runId:pause or :cancel).`,
    }),
  };
}

export function toCampaignResponse(c: CampaignRecord, changes: CampaignChangeRecord[]): CampaignResponse {
  return {
    ...toCampaignSummary(c),
    ...(c.definition && { definition: c.definition as unknown as Record<string, unknown> }),
    problems: c.problems.map(problemOf),
    changes: changes.map((ch) => ({
      at: ch.at.toISOString(),
      actor: ch.actor,
      action: ch.action,
      ...(ch.fromState && { fromState: ch.fromState }),
      ...(ch.toState && { toState: ch.toState }),
      ...(ch.contentHash && { contentHash: ch.contentHash }),
      ...(ch.note && { note: ch.note }),
    })),
  };
}
