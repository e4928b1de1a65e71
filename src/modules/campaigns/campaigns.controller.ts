import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseFilters } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../access/api-key.guard';
import { Auth } from '../access/auth.decorator';
import { AudienceEstimateService } from './audience-estimate.service';
import { CampaignErrorFilter } from './campaign-error.filter';
import { CampaignPreviewService } from './campaign-preview.service';
import { CampaignRepository } from './campaign.repository';
import { CampaignsService } from './campaigns.service';
import {
  CampaignIdParams,
  CampaignResponse,
  CampaignSummaryResponse,
  PausedCampaignResponse,
  toCampaignResponse,
  toCampaignSummary,
  toPausedCampaignResponse,
} from './dto/campaign-response.dto';
import { EstimateQueryDto, EstimateResponse, toEstimateResponse } from './dto/estimate-response.dto';
import { PreviewRequestDto, PreviewResponse, toPreviewResponse } from './dto/preview.dto';

const actorOf = (request: AuthenticatedRequest) => `key:${request.apiKey?.keyId ?? 'unknown'}`;

@ApiTags('campaigns')
@Controller('v1/campaigns')
@UseFilters(CampaignErrorFilter)
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly repository: CampaignRepository,
    private readonly previews: CampaignPreviewService,
    private readonly estimates: AudienceEstimateService,
  ) {}

  @Get()
  @Auth('admin')
  @ApiOkResponse({ type: [CampaignSummaryResponse], description: 'Synced campaigns by id, archived ones included' })
  async list(): Promise<CampaignSummaryResponse[]> {
    return (await this.campaigns.list()).map(toCampaignSummary);
  }

  @Get(':campaignId')
  @Auth('admin')
  @ApiOkResponse({ type: CampaignResponse })
  @ApiNotFoundResponse({ description: 'No such campaign (run `journeycast campaigns sync`)' })
  async get(@Param() { campaignId }: CampaignIdParams): Promise<CampaignResponse> {
    const campaign = await this.campaigns.get(campaignId);
    return toCampaignResponse(campaign, await this.repository.findChanges(campaignId));
  }

  // Express 5 (path-to-regexp 8) reads an unescaped ':' as a parameter; the custom method needs `\\:`.
  @Post(':campaignId\\:activate')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: CampaignSummaryResponse })
  @ApiConflictResponse({
    description:
      'The campaign is invalid (its problems are listed), archived, or a one-off whose schedule.at has passed (campaign.schedule-passed)',
  })
  async activate(@Param() { campaignId }: CampaignIdParams, @Req() req: AuthenticatedRequest) {
    return toCampaignSummary(await this.campaigns.activate(campaignId, actorOf(req)));
  }

  @Post(':campaignId\\:pause')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({
    type: PausedCampaignResponse,
    description: 'The paused campaign, with the runs it already started that go on sending and how to stop them',
  })
  async pause(
    @Param() { campaignId }: CampaignIdParams,
    @Req() req: AuthenticatedRequest,
  ): Promise<PausedCampaignResponse> {
    const campaign = await this.campaigns.pause(campaignId, actorOf(req));
    return toPausedCampaignResponse(campaign, await this.campaigns.runsInProgress(campaignId));
  }

  @Post(':campaignId/preview')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({
    type: PreviewResponse,
    description: 'The rendered message (every part, its subject and copy source), why the user is skipped, or a sample',
  })
  async preview(@Param() { campaignId }: CampaignIdParams, @Body() body: PreviewRequestDto): Promise<PreviewResponse> {
    const options = { variantId: body.variant, now: body.now };
    const result =
      body.sample !== undefined
        ? await this.previews.previewSample(campaignId, body.sample, options)
        : await this.previews.previewUser(campaignId, body.userId!, options);
    return toPreviewResponse(campaignId, result);
  }

  @Get(':campaignId/estimate')
  @Auth('admin')
  @ApiOkResponse({
    type: EstimateResponse,
    description: 'Audience size by stage, locale and channel consent; sampled with 95% intervals on large populations',
  })
  async estimate(
    @Param() { campaignId }: CampaignIdParams,
    @Query() query: EstimateQueryDto,
  ): Promise<EstimateResponse> {
    const campaign = await this.campaigns.getUsable(campaignId);
    const estimate = await this.estimates.estimate(campaign.definition, new Date(), { exact: query.exact === 'true' });
    return toEstimateResponse(estimate);
  }
}
