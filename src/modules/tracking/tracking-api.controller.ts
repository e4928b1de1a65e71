import { Body, Controller, HttpCode, NotFoundException, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { StatusResponse } from '../../common/http/status-response';
import { Auth } from '../access/auth.decorator';
import { ConversionsService } from './conversions.service';
import { ConversionBody, ConversionResponse, toConversionResponse } from './dto/conversion.dto';
import { openedAtOf, PushOpenDto } from './dto/push-open.dto';
import { EngagementService } from './engagement.service';

@ApiTags('tracking')
@Controller('v1')
export class TrackingApiController {
  constructor(
    private readonly engagement: EngagementService,
    private readonly conversions: ConversionsService,
  ) {}

  /** The app reports that its user opened a push; no API key: the signed token is the authority. */
  @Post('track/push-open')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Recorded (a repeated token is logged and counts once)' })
  @ApiNotFoundResponse({ description: 'The token does not verify or names no sent notification; nothing changed' })
  async pushOpen(@Body() dto: PushOpenDto): Promise<void> {
    const now = new Date();
    if (!(await this.engagement.recordPushOpen(dto.token, openedAtOf(dto, now), now))) {
      throw new NotFoundException('Unknown push-open token; nothing was recorded');
    }
  }

  /** `body` is typed unknown on purpose: validateConversion names bad fields as the events endpoint does. */
  @Post('conversions')
  @Auth('ingest')
  @ApiBody({ type: ConversionBody })
  @ApiOkResponse({
    type: ConversionResponse,
    description: '201 when stored, 200 when the id was already reported or its user was being erased (nothing kept)',
  })
  @ApiBadRequestResponse({ description: 'Names every bad field; nothing was stored' })
  @ApiConflictResponse({ description: 'The id was already reported with other fields; nothing changed' })
  async convert(@Body() body: unknown, @Res({ passthrough: true }) res: StatusResponse): Promise<ConversionResponse> {
    const result = await this.conversions.report(body);
    res.status(result.duplicate || result.erased ? 200 : 201);
    return toConversionResponse(result);
  }
}
