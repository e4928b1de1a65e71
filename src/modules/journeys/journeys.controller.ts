import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../access/api-key.guard';
import { Auth } from '../access/auth.decorator';
import { TakesIdempotencyKey } from '../access/idempotency-key.decorator';
import { IdempotencyKeysService } from '../access/idempotency-keys.service';
import { StoredUserIdParams } from '../ingest/dto/put-user.dto';
import { CreateJourneyRunDto, JourneyRunResponse, RunIdParams, toJourneyRunResponse } from './dto/journey-run.dto';
import { toUserJourneysResponse, UserJourneysResponse } from './dto/user-journeys-response.dto';
import { JourneyRunsService, newRunId } from './journey-runs.service';
import { JourneysService } from './journeys.service';

@ApiTags('journeys')
@Controller('v1')
export class JourneysController {
  constructor(
    private readonly journeys: JourneysService,
    private readonly runs: JourneyRunsService,
    private readonly idempotency: IdempotencyKeysService,
  ) {}

  @Get('users/:userId/journeys')
  @Auth('admin')
  @ApiOkResponse({ type: UserJourneysResponse, description: 'Journeys in rank order, with expansions' })
  @ApiNotFoundResponse({ description: 'The user has not been built yet' })
  async getJourneys(@Param() { userId }: StoredUserIdParams): Promise<UserJourneysResponse> {
    return toUserJourneysResponse(await this.journeys.getUserJourneys(userId));
  }

  // Express 5 (path-to-regexp 8) reads an unescaped ':' as a parameter; the custom method needs `\\:`.
  @Post('users/:userId/journeys\\:rebuild')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: UserJourneysResponse, description: "Rebuilt synchronously from the user's events" })
  async rebuild(@Param() { userId }: StoredUserIdParams): Promise<UserJourneysResponse> {
    return toUserJourneysResponse(await this.journeys.rebuildUser(userId));
  }

  @Post('journey-runs')
  @HttpCode(202)
  @Auth('admin')
  @ApiAcceptedResponse({
    type: JourneyRunResponse,
    description: 'The run is queued; poll GET /v1/journey-runs/{runId}',
  })
  @TakesIdempotencyKey()
  async createRun(@Body() dto: CreateJourneyRunDto, @Req() req: AuthenticatedRequest): Promise<JourneyRunResponse> {
    const runId = await this.idempotency.resourceIdFor(req, 'POST /v1/journey-runs', dto, newRunId(dto.kind));
    return toJourneyRunResponse(await this.runs.requestRun(dto.kind, 'manual', runId));
  }

  @Get('journey-runs/:runId')
  @Auth('admin')
  @ApiOkResponse({ type: JourneyRunResponse })
  @ApiNotFoundResponse({ description: 'No such run' })
  async getRun(@Param() { runId }: RunIdParams): Promise<JourneyRunResponse> {
    const run = await this.runs.findRun(runId);
    if (!run) throw new NotFoundException(`journey run ${runId} not found`);
    return toJourneyRunResponse(run);
  }
}
