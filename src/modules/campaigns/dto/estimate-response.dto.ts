import { ApiProperty } from '@nestjs/swagger';
import { AudienceEstimate } from '../audience-estimate.service';

export class EstimateResponse {
  @ApiProperty() campaignId!: string;
  @ApiProperty({ enum: ['push', 'email'] }) channel!: string;
  @ApiProperty({ description: 'Users who pass every rule, with consent and an address on the channel' }) total!: number;
  @ApiProperty({ example: { consented: 1200, withoutConsent: 300 } }) byConsent!: Record<string, number>;
  @ApiProperty({
    example: { ongoing: 900, other: 300 },
    description: 'ongoing: with a qualifying ongoing journey; other: the rest',
  })
  byStage!: Record<string, number>;
  @ApiProperty({ example: [{ locale: 'en-US', users: 800 }], description: 'locale null: users without one' })
  byLocale!: Array<{ locale: string | null; users: number }>;
  @ApiProperty() computedAt!: string;
  @ApiProperty() durationMs!: number;
}

export function toEstimateResponse(e: AudienceEstimate): EstimateResponse {
  return { ...e, computedAt: e.computedAt.toISOString() };
}
