import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES } from '../../../lib/events/activity-event';

// Documentation only: the batch is validated by validateEventBatch, which is far faster than
// class-validator over 1000 nested objects and names fields exactly as the JSONL import does.
class EventItemDoc {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ maxLength: 512 }) title?: string;
  @ApiPropertyOptional({ type: [String], maxItems: 50 }) annotations?: string[];
  @ApiPropertyOptional({ type: [String] }) categories?: string[];
}

class EventBoardDoc {
  @ApiProperty() name!: string;
}

export class EventDoc {
  @ApiProperty({ description: 'Idempotency key: sent again, the same content is a duplicate, other content a 409' })
  id!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: EVENT_TYPES }) type!: string;
  @ApiProperty({ example: '2026-03-01T12:00:00Z', description: 'At most 5 minutes in the future' })
  occurredAt!: string;
  @ApiPropertyOptional({ maxLength: 512, description: 'Required for search events' }) query?: string;
  @ApiPropertyOptional({ type: EventItemDoc }) item?: EventItemDoc;
  @ApiPropertyOptional({ type: EventBoardDoc }) board?: EventBoardDoc;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) properties?: Record<string, unknown>;
}

export class PostEventsBody {
  @ApiProperty({ type: [EventDoc], minItems: 1, maxItems: 1000 }) events!: EventDoc[];
}

export class IngestResultResponse {
  @ApiProperty({ description: 'Events stored by this request' }) accepted!: number;
  @ApiProperty({
    description: 'Events whose id was already stored, or sent earlier in the batch, with the same content (replays)',
  })
  duplicates!: number;
  @ApiProperty({
    required: false,
    description:
      'Events of users whose profile was being erased: not kept, and counted in neither of the above (present when any)',
  })
  erased?: number;
}
