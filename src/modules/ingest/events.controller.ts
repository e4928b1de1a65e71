import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Auth } from '../access/auth.decorator';
import { IngestResultResponse, PostEventsBody } from './dto/post-events.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** `body` is typed unknown on purpose: the batch validator, not the global pipe, checks it. */
  @Post()
  @HttpCode(200)
  @Auth('ingest')
  @ApiBody({ type: PostEventsBody })
  @ApiOkResponse({ type: IngestResultResponse })
  @ApiBadRequestResponse({ description: 'Lists every bad event index and field; nothing was stored' })
  @ApiConflictResponse({
    description:
      'Names each event whose id is already used (stored, or earlier in the batch) with other content; nothing was stored',
  })
  @ApiPayloadTooLargeResponse({ description: 'Body over 1 MiB' })
  ingestBatch(@Body() body: unknown): Promise<IngestResultResponse> {
    return this.events.ingestBatch(body);
  }
}
