import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExperimentReport } from '../../modules/experiments/domain/report/report-model';
import { ExperimentSummaryResponse } from '../../modules/experiments/dto/experiment-report.dto';
import { DemoStep } from '../demo-context';
import { callApi, getText } from '../http-client';

/**
 * Reads each experiment's report over the API: the JSON the summary checks, the Markdown printed here,
 * and the self-contained HTML page written to a file to open in a browser.
 */
export const experimentReportsStep: DemoStep = {
  title: 'Experiment reports (GET /v1/experiments, /v1/experiments/:id/report?format=json|md|html)',
  async run(context) {
    const { baseUrl, tokens } = context;
    const all = await callApi<ExperimentSummaryResponse[]>(baseUrl, tokens.admin, 'GET', '/v1/experiments');
    const dir = join(context.environment.dataDir, 'reports');
    mkdirSync(dir, { recursive: true });
    for (const experiment of all.filter((e) => context.campaignIds.includes(e.campaignId))) {
      const path = `/v1/experiments/${encodeURIComponent(experiment.experimentId)}/report`;
      const report = await callApi<ExperimentReport>(baseUrl, tokens.admin, 'GET', path);
      const markdown = await getText(baseUrl, tokens.admin, `${path}?format=md`);
      const htmlFile = resolve(dir, `${experiment.experimentId}.html`);
      writeFileSync(htmlFile, await getText(baseUrl, tokens.admin, `${path}?format=html`));
      writeFileSync(resolve(dir, `${experiment.experimentId}.md`), markdown);
      context.experiments.push({ summary: experiment, report, htmlFile });
      console.log(`\n${markdown.trimEnd().replace(/^/gm, '   | ')}\n`);
      context.log(`HTML report: ${htmlFile}`);
    }
  },
};
