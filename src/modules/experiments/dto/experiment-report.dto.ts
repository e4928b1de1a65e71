import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IsInstant } from '../../../common/http/field-rules.decorator';
import { REPORT_FORMATS, ReportFormatName } from '../domain';
import { EXPERIMENT_ID } from '../domain/experiment-definition';

export class ExperimentIdParams {
  @IsString()
  @Matches(EXPERIMENT_ID, {
    message: 'experimentId must be an experiment id such as ongoing-journey-push.v1',
  })
  experimentId!: string;
}

export class ReportQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS, { message: `format must be one of ${REPORT_FORMATS.join(', ')}` })
  format?: ReportFormatName;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-03-01T12:00:00Z',
    description: 'Read the statistics as of this instant (ISO-8601 with a time zone); now when absent',
  })
  @IsOptional()
  @IsInstant()
  asOf?: Date;
}

export class ArmCountsResponse {
  @ApiProperty({ description: 'A variant, holdout or global-control' }) arm!: string;
  @ApiProperty({ description: 'Users assigned (intent to treat: every one counts in the arm)' }) assigned!: number;
  @ApiProperty({ description: 'Users the message was delivered to at least once' }) delivered!: number;
}

export class ExperimentSummaryResponse {
  @ApiProperty({ example: 'ongoing-journey-push.v1' }) experimentId!: string;
  @ApiProperty() campaignId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['push', 'email'] }) channel!: string;
  @ApiProperty() primaryMetric!: string;
  @ApiProperty({ type: [ArmCountsResponse] }) arms!: ArmCountsResponse[];
  @ApiProperty() assigned!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty({ nullable: true, type: String, description: 'First UTC day a user was assigned' }) firstDay!:
    string | null;
  @ApiProperty({ nullable: true, type: String }) lastDay!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
