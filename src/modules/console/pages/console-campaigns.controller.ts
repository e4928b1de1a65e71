import { Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { Session } from '../session/console-auth.guard';
import { ConsoleSession } from '../session/console-sessions.service';
import { ConsoleViews } from '../views/console-views';
import { ConsoleCampaignsService } from './console-campaigns.service';
import { ConsoleRunsService } from './console-runs.service';
import { redirect } from './respond';
import { ConsoleForm, ConsolePages } from './console-routes';
import { QueryText } from '../../../common/http/query-text.decorator';

/** The campaign page shows its newest runs; the runs page pages through the rest. */
const RUNS_ON_CAMPAIGN = 10;
const NOTICES: Record<string, string> = { activated: 'The campaign is active.', paused: 'The campaign is paused.' };

/** Campaign pages: the list, one campaign with estimate and preview, and activate / pause forms. */
@ConsolePages('console/campaigns')
export class ConsoleCampaignsController {
  constructor(
    private readonly campaigns: ConsoleCampaignsService,
    private readonly runs: ConsoleRunsService,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async list(@Session() session: ConsoleSession, @QueryText('after') after?: string): Promise<string> {
    const page = await this.campaigns.page(after);
    return this.views.render(
      'campaigns',
      { title: 'Campaigns', section: 'campaigns', session },
      { ...page, first: !after },
    );
  }

  @Get(':campaignId')
  async detail(
    @Session() session: ConsoleSession,
    @Param('campaignId') campaignId: string,
    @QueryText('user') userId: string | undefined,
    @QueryText('variant') variant: string | undefined,
    @QueryText('done') done: string | undefined,
  ): Promise<string> {
    const view = await this.campaigns.detail(campaignId, { userId, variant });
    const runs = await this.runs.page(undefined, view.campaign.campaignId, RUNS_ON_CAMPAIGN);
    const notice = done ? await this.noticeOf(done, view.campaign.campaignId) : undefined;
    return this.views.render(
      'campaign',
      { title: `Campaign ${view.campaign.campaignId}`, section: 'campaigns', session },
      { ...view, runs, notice },
    );
  }

  /**
   * What a state change did: pausing starts no more runs, but those already started go on sending until each is
   * paused or cancelled on its own page, so the notice names them.
   */
  private async noticeOf(done: string, campaignId: string): Promise<string | undefined> {
    const notice = NOTICES[done];
    if (done !== 'paused' || !notice) return notice;
    const going = await this.campaigns.runsInProgress(campaignId);
    if (going.length === 0) return notice;
    const runs = going.length === 1 ? `Its run ${going[0]} goes` : `Its runs ${going.join(', ')} go`;
    return `${notice} ${runs} on sending: pause or cancel ${going.length === 1 ? 'it' : 'each'} on the run's page.`;
  }

  /** `activate` or `pause`; each form posts here with its session's form token. */
  @ConsoleForm(':campaignId/:action')
  async changeState(
    @Session() session: ConsoleSession,
    @Param('campaignId') campaignId: string,
    @Param('action') action: string,
    @Res() res: ServerResponse,
  ): Promise<void> {
    if (action !== 'activate' && action !== 'pause') throw new NotFoundException(`no campaign action ${action}`);
    await this.campaigns[action](campaignId, session);
    redirect(
      res,
      `/console/campaigns/${encodeURIComponent(campaignId)}?done=${action === 'pause' ? 'paused' : 'activated'}`,
    );
  }
}
