import {
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ServerResponse } from 'node:http';
import { FormBody } from '../../../common/http/form-body';
import { RunAction } from '../../campaigns/runs/domain/run-state';
import { ConsoleAuthGuard, Session } from '../session/console-auth.guard';
import { ConsoleSession } from '../session/console-sessions.service';
import { CsrfInterceptor } from '../session/csrf.interceptor';
import { ConsoleViews } from '../views/console-views';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsolePageInterceptor } from './console-page.interceptor';
import { ConsoleRunsService } from './console-runs.service';
import { CONSOLE_FORM, redirect } from './respond';

const ACTIONS: readonly RunAction[] = ['pause', 'resume', 'cancel'];
const DONE: Record<RunAction, string> = { pause: 'paused', resume: 'resumed', cancel: 'cancelled' };

/** Campaign runs: newest first, one run's progress and counters, pause / resume / cancel, and "why didn't this user get it". */
@ApiExcludeController()
@Controller('console/runs')
@UseGuards(ConsoleAuthGuard)
@UseFilters(ConsoleExceptionFilter)
@UseInterceptors(ConsolePageInterceptor)
export class ConsoleRunsController {
  constructor(
    private readonly runs: ConsoleRunsService,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async list(
    @Session() session: ConsoleSession,
    @Query('after') after?: string,
    @Query('campaign') campaignId?: string,
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
    @Query('user') user?: string,
    @Query('done') done?: string,
  ): Promise<string> {
    const view = await this.runs.detail(runId, user);
    const notice = done && Object.values(DONE).includes(done) ? `The run is ${done}.` : undefined;
    return this.views.render('run', { title: `Run ${view.run.runId}`, section: 'runs', session }, { ...view, notice });
  }

  @Post(':runId/:action')
  @FormBody(CONSOLE_FORM)
  @UseInterceptors(CsrfInterceptor)
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
