import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseFilters } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../../access/api-key.guard';
import { Auth } from '../../access/auth.decorator';
import { TakesIdempotencyKey } from '../../access/idempotency-key.decorator';
import { IdempotencyKeysService } from '../../access/idempotency-keys.service';
import { CampaignErrorFilter } from '../campaign-error.filter';
import { CampaignRunsService, manualRunId } from './campaign-runs.service';
import {
  CampaignRunResponse,
  ListRunsQuery,
  RunIdParams,
  RunUserParams,
  StartRunDto,
  toRunResponse,
} from './dto/campaign-run.dto';
import { RunExplainService, RunUserExplanation } from './run-explain.service';

const actorOf = (request: AuthenticatedRequest) => `key:${request.apiKey?.keyId ?? 'unknown'}`;

@ApiTags('campaign-runs')
@Controller('v1/campaign-runs')
@UseFilters(CampaignErrorFilter)
export class CampaignRunsController {
  constructor(
    private readonly runs: CampaignRunsService,
    private readonly explains: RunExplainService,
    private readonly idempotency: IdempotencyKeysService,
  ) {}

  @Post()
  @Auth('admin')
  @ApiOkResponse({ type: CampaignRunResponse, description: 'The run, scheduled; workers select and send it' })
  @ApiConflictResponse({ description: 'The campaign is invalid or archived' })
  @TakesIdempotencyKey()
  async start(@Body() body: StartRunDto, @Req() req: AuthenticatedRequest): Promise<CampaignRunResponse> {
    const route = 'POST /v1/campaign-runs';
    const runId = await this.idempotency.resourceIdFor(req, route, body, manualRunId(body.campaignId));
    return toRunResponse(await this.runs.startManual(body.campaignId, actorOf(req), runId));
  }

  @Get()
  @Auth('admin')
  @ApiOkResponse({ type: [CampaignRunResponse], description: 'Newest first' })
  async list(@Query() query: ListRunsQuery): Promise<CampaignRunResponse[]> {
    return (await this.runs.list({ ...query, limit: query.limit ?? 20 })).map(toRunResponse);
  }

  @Get(':runId')
  @Auth('admin')
  @ApiOkResponse({
    type: CampaignRunResponse,
    description: 'The run with its counters and, while it is not finished, what its queued notifications wait for',
  })
  @ApiNotFoundResponse()
  async get(@Param() { runId }: RunIdParams): Promise<CampaignRunResponse> {
    return toRunResponse(await this.runs.get(runId, { waiting: true }));
  }

  // Express 5 (path-to-regexp 8) reads an unescaped ':' as a parameter; the custom method needs `\\:`.
  @Post(':runId\\:pause')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: CampaignRunResponse })
  @ApiConflictResponse({ description: 'The run is finished' })
  async pause(@Param() { runId }: RunIdParams, @Req() req: AuthenticatedRequest): Promise<CampaignRunResponse> {
    return toRunResponse(await this.runs.pause(runId, actorOf(req)));
  }

  @Post(':runId\\:resume')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: CampaignRunResponse })
  @ApiConflictResponse({ description: 'The run is finished' })
  async resume(@Param() { runId }: RunIdParams, @Req() req: AuthenticatedRequest): Promise<CampaignRunResponse> {
    return toRunResponse(await this.runs.resume(runId, actorOf(req)));
  }

  @Post(':runId\\:cancel')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: CampaignRunResponse })
  @ApiConflictResponse({ description: 'The run is finished' })
  async cancel(@Param() { runId }: RunIdParams, @Req() req: AuthenticatedRequest): Promise<CampaignRunResponse> {
    return toRunResponse(await this.runs.cancel(runId, actorOf(req)));
  }

  @Get(':runId/users/:userId')
  @Auth('admin')
  @ApiOkResponse({
    description: 'Why the user got (or did not get) the message: audience, rule, arm, copy, render, attempts, events',
  })
  @ApiNotFoundResponse()
  async explain(@Param() { runId, userId }: RunUserParams): Promise<RunUserExplanation> {
    return this.explains.explain(runId, userId);
  }
}
