import { Get, Param, Res } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { ExperimentError } from '../../experiments/domain/experiments.errors';
import { ExperimentReportsService } from '../../experiments/experiment-reports.service';
import { decodeCursor, pageOf } from '../domain/keyset';
import { Session } from '../session/console-auth.guard';
import { ConsoleSession } from '../session/console-sessions.service';
import { ConsoleViews } from '../views/console-views';
import { PAGE_SIZE } from './console-campaigns.service';
import { setPageHeaders } from './console-page.interceptor';
import { ConsolePages } from './console-routes';
import { QueryText } from '../../../common/http/query-text.decorator';

const EXPERIMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The report document may only be framed by the console, and keeps its own inline styles; it runs no script. */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'";

function checkedId(experimentId: string): string {
  if (!EXPERIMENT_ID.test(experimentId)) {
    throw new ExperimentError('experiments.not-found', [
      { field: 'experimentId', message: `no experiment "${experimentId}"` },
    ]);
  }
  return experimentId;
}

/** Experiments: a keyset-paged list and each experiment's HTML report (the one the API and CLI render), framed. */
@ConsolePages('console/experiments')
export class ConsoleExperimentsController {
  constructor(
    private readonly reports: ExperimentReportsService,
    private readonly views: ConsoleViews,
  ) {}

  @Get()
  async list(@Session() session: ConsoleSession, @QueryText('after') after?: string): Promise<string> {
    const rows = await this.reports.page(decodeCursor(after), PAGE_SIZE + 1);
    const page = pageOf(rows, PAGE_SIZE, (e) => e.experimentId);
    return this.views.render(
      'experiments',
      { title: 'Experiments', section: 'experiments', session },
      { ...page, first: !after },
    );
  }

  @Get(':experimentId')
  async detail(@Session() session: ConsoleSession, @Param('experimentId') experimentId: string): Promise<string> {
    const report = await this.reports.report(checkedId(experimentId));
    return this.views.render(
      'experiment',
      { title: `Experiment ${experimentId}`, section: 'experiments', session },
      { experimentId, report, campaignId: report.experiment.campaignId },
    );
  }

  @Get(':experimentId/report')
  async report(@Param('experimentId') experimentId: string, @Res() res: ServerResponse): Promise<void> {
    const report = await this.reports.report(checkedId(experimentId));
    setPageHeaders(res, REPORT_CSP);
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.end(this.reports.render(report, 'html').body);
  }
}
