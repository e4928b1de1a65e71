import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AudienceEstimate } from '../audience-estimate.service';

export class EstimateQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Count every user even past CAMPAIGN_ESTIMATE_EXACT_UP_TO (slower on large populations)',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'exact must be true or false' })
  exact?: 'true' | 'false';
}

class IntervalResponse {
  @ApiProperty() low!: number;
  @ApiProperty() high!: number;
}

class SampleResponse {
  @ApiProperty({ description: 'Users counted' }) size!: number;
  @ApiProperty({ description: 'Stored users the figures are scaled to' }) population!: number;
  @ApiProperty({ example: 0.95 }) confidence!: number;
}

export class EstimateResponse {
  @ApiProperty() campaignId!: string;
  @ApiProperty({ enum: ['push', 'email'] }) channel!: string;
  @ApiProperty({
    description:
      'Users who pass every rule, with consent and an address on the channel (consent alone for a webhook), who did not unsubscribe from its category or everything',
  })
  total!: number;
  @ApiProperty({
    example: { consented: 1200, withoutConsent: 300, unsubscribed: 40 },
    description:
      'consented: the total; withoutConsent: without consent or an address; unsubscribed: with both, but they left the category or everything',
  })
  byConsent!: Record<string, number>;
  @ApiProperty({
    example: { ongoing: 900, other: 300 },
    description: 'ongoing: with a qualifying ongoing journey; other: the rest',
  })
  byStage!: Record<string, number>;
  @ApiProperty({
    example: [{ locale: 'en-US', users: 800 }],
    description: 'locale null: users without one; sampled rows carry their interval',
  })
  byLocale!: Array<{ locale: string | null; users: number; interval?: IntervalResponse }>;
  @ApiProperty({ description: 'Figures scaled from a random sample of users (see sample and intervals)' })
  sampled!: boolean;
  @ApiPropertyOptional({ type: SampleResponse }) sample?: SampleResponse;
  @ApiPropertyOptional({
    description: '95% intervals of the sampled figures, in users',
    example: { total: { low: 1150, high: 1250 } },
  })
  intervals?: Record<string, IntervalResponse>;
  @ApiProperty() computedAt!: string;
  @ApiProperty() durationMs!: number;
}

export function toEstimateResponse(e: AudienceEstimate): EstimateResponse {
  return { ...e, computedAt: e.computedAt.toISOString() };
}
