import { Controller, Get, Param, Query, Res, UseFilters } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth } from '../access/auth.decorator';
import { ExperimentReport } from './domain';
import { ExperimentIdParams, ExperimentSummaryResponse, ReportQueryDto } from './dto/experiment-report.dto';
import { ExperimentErrorFilter } from './experiment-error.filter';
import { ExperimentReportsService, ExperimentSummary } from './experiment-reports.service';

interface ContentTypeResponse {
  type(contentType: string): void;
  setHeader(name: string, value: string): void;
}

const toSummaryResponse = (s: ExperimentSummary): ExperimentSummaryResponse => ({
  ...s,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

@ApiTags('experiments')
@Controller('v1/experiments')
@UseFilters(ExperimentErrorFilter)
export class ExperimentsController {
  constructor(private readonly reports: ExperimentReportsService) {}

  @Get()
  @Auth('admin')
  @ApiOkResponse({ type: [ExperimentSummaryResponse], description: 'Every experiment, assigned and delivered per arm' })
  async list(): Promise<ExperimentSummaryResponse[]> {
    return (await this.reports.list()).map(toSummaryResponse);
  }

  @Get(':experimentId/report')
  @Auth('admin')
  @ApiProduces('application/json', 'text/markdown', 'text/html', 'text/csv')
  @ApiOkResponse({ description: 'The report (journeycast.experiment-report/1 in JSON; Markdown, HTML or CSV)' })
  @ApiNotFoundResponse({ description: 'No such experiment' })
  async report(
    @Param() { experimentId }: ExperimentIdParams,
    @Query() query: ReportQueryDto,
    @Res({ passthrough: true }) response: ContentTypeResponse,
  ): Promise<ExperimentReport | string> {
    const report = await this.reports.report(experimentId, query.asOf);
    const format = query.format ?? 'json';
    if (format === 'json') return report;
    const { body, contentType } = this.reports.render(report, format);
    response.type(contentType);
    // The page loads nothing: the header repeats the page's own policy for clients that ignore the meta tag.
    if (format === 'html') {
      response.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    }
    return body;
  }
}
