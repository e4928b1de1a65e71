import { Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { RunAction } from '../../campaigns/runs/domain/run-state';
import { Session } from '../session/console-auth.guard';
import { ConsoleSession } from '../session/console-sessions.service';
import { ConsoleViews } from '../views/console-views';
import { ConsoleRunsService } from './console-runs.service';
import { redirect } from './respond';
import { ConsoleForm, ConsolePages } from './console-routes';
import { QueryText } from '../../../common/http/query-text.decorator';

const ACTIONS: readonly RunAction[] = ['pause', 'resume', 'cancel'];
const DONE: Record<RunAction, string> = { pause: 'paused', resume: 'resumed', cancel: 'cancelled' };

/** Campaign runs: newest first, one run's progress and counters, pause / resume / cancel, and "why didn't this user get it". */
@ConsolePages('console/runs')
export class ConsoleRunsController {
  constructor(
    private readonly runs: ConsoleRunsService,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async list(
    @Session() session: ConsoleSession,
    @QueryText('after') after?: string,
    @QueryText('campaign') campaignId?: string,
  ): Promise<string> {
    const page = await this.runs.page(after, campaignId);
    return this.views.render(
      'runs',
      { title: 'Runs', section: 'runs', session },
      { ...page, first: !after, campaignId },
    );
  }

  @Get(':runId')
  async detail(
    @Session() session: ConsoleSession,
    @Param('runId') runId: string,
    @QueryText('user') user?: string,
    @QueryText('done') done?: string,
  ): Promise<string> {
    const view = await this.runs.detail(runId, user);
    const notice = done && Object.values(DONE).includes(done) ? `The run is ${done}.` : undefined;
    return this.views.render('run', { title: `Run ${view.run.runId}`, section: 'runs', session }, { ...view, notice });
  }

  @ConsoleForm(':runId/:action')
  async control(
    @Session() session: ConsoleSession,
    @Param('runId') runId: string,
    @Param('action') action: string,
    @Res() res: ServerResponse,
  ): Promise<void> {
    const known = ACTIONS.find((a) => a === action);
    if (!known) throw new NotFoundException(`no run action ${action}`);
    await this.runs.control(runId, known, session);
    redirect(res, `/console/runs/${encodeURIComponent(runId)}?done=${DONE[known]}`);
  }
}
