import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { IsInstant, IsNotWith, IsOptionalNotNull } from '../../../common/http/field-rules.decorator';
import { ComposedMessage, ComposeResult } from '../domain/compose-result';
import { PREVIEW_SAMPLE_MAX, SamplePreview } from '../campaign-preview.service';

export class PreviewRequestDto {
  @ApiPropertyOptional({ description: 'Preview what this user would receive (or why not)' })
  @ValidateIf((o: PreviewRequestDto) => o.sample === undefined)
  @IsString()
  @Length(1, 256)
  userId?: string;

  @ApiPropertyOptional({
    description: 'Instead of one user (not with userId): render for this many random eligible users',
    minimum: 1,
    maximum: PREVIEW_SAMPLE_MAX,
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(PREVIEW_SAMPLE_MAX)
  @IsNotWith('userId')
  sample?: number;

  @ApiPropertyOptional({ description: "An experiment variant's id (the campaign's own copy when absent)" })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 63)
  variant?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-03-01T12:00:00Z',
    description: 'Compose as of this instant (ISO-8601 with a time zone); now when absent',
  })
  @IsOptionalNotNull()
  @IsInstant()
  now?: Date;
}

export class PreviewMessageResponse {
  @ApiProperty() userId!: string;
  @ApiProperty({ example: { id: 'default', copy: 'journey-llm' } }) variant!: Record<string, string>;
  @ApiProperty({ description: 'What the message is about: kind (journey or interest), id, name, copy signature' })
  subject!: Record<string, string>;
  @ApiProperty({ description: 'Every subject shown (top-K)' }) subjects!: Array<Record<string, string>>;
  @ApiProperty({ description: 'source (llm or template), promptVersion, model, fallbackReason, cacheHit' })
  copy!: Record<string, unknown>;
  @ApiProperty({ description: 'Template ref, locale used after fallback, content hash' }) template!: Record<
    string,
    string
  >;
  @ApiProperty({
    description: 'Every part of the push (title, body, deepLink, data) or email (subject, preheader, html, text)',
  })
  message!: Record<string, unknown>;
}

export class PreviewResponse {
  @ApiProperty() campaignId!: string;
  @ApiProperty({ enum: ['message', 'skip', 'sample'] }) status!: string;
  @ApiPropertyOptional({ type: PreviewMessageResponse }) preview?: PreviewMessageResponse;
  @ApiPropertyOptional({ description: 'Why the user would be skipped: code, rule, value, message' })
  skip?: Record<string, unknown>;
  @ApiPropertyOptional({ type: [PreviewMessageResponse] }) messages?: PreviewMessageResponse[];
  @ApiPropertyOptional({ description: 'Sampled users skipped after all, by reason' }) skipped?: Record<string, number>;
}

export function toPreviewMessage(m: ComposedMessage): PreviewMessageResponse {
  const { template, links: _links, ...parts } = m.rendered;
  return {
    userId: m.userId,
    variant: m.variant,
    subject: m.subject,
    subjects: m.subjects,
    copy: { ...m.copy },
    template: { ...template },
    message: { ...parts, links: m.rendered.links },
  };
}

export function toPreviewResponse(campaignId: string, result: ComposeResult | SamplePreview): PreviewResponse {
  if ('messages' in result) {
    return { campaignId, status: 'sample', messages: result.messages.map(toPreviewMessage), skipped: result.skipped };
  }
  if (result.status === 'skip') {
    return { campaignId, status: 'skip', skip: { userId: result.userId, variant: result.variant, ...result.skip } };
  }
  return { campaignId, status: 'message', preview: toPreviewMessage(result.message) };
}
