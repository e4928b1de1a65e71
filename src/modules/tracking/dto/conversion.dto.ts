import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ConversionResult } from '../conversions.service';

/** Documentation only: the body is checked by validateConversion, which names fields as events do. */
export class ConversionBody {
  @ApiProperty({ description: 'Your id of the conversion: the idempotency key' }) id!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ example: '2026-03-02T18:30:00Z', description: 'At most 5 minutes in the future' })
  occurredAt!: string;
  @ApiPropertyOptional({ description: 'Revenue or any amount; summed per user in experiment reports' })
  value?: number;
  @ApiPropertyOptional({ description: "Attribute only to this campaign's notifications" }) campaignId?: string;
}

export class ConversionResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Whether a notification was sent to the user within the window before it' })
  attributed!: boolean;
  @ApiPropertyOptional() notificationId?: string;
  @ApiPropertyOptional() campaignId?: string;
  @ApiProperty({ description: 'The id was reported before: nothing changed' }) duplicate!: boolean;
  @ApiPropertyOptional({
    description: 'Its user was being erased as it was reported: nothing of it is kept (present when so)',
  })
  erased?: true;
}

export function toConversionResponse({ record, duplicate, erased }: ConversionResult): ConversionResponse {
  return {
    id: record.conversionId,
    attributed: record.notificationId !== undefined,
    ...(record.notificationId !== undefined && { notificationId: record.notificationId }),
    ...(record.campaignId !== undefined && { campaignId: record.campaignId }),
    duplicate,
    ...(erased && { erased }),
  };
}
