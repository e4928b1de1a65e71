import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withCommandContext } from '../../../common/cli/command-context';
import { ExperimentError, REPORT_FORMATS, ReportFormatName } from '../../experiments/domain';
import { ExperimentReportWriter } from '../../experiments/experiment-report-writer.service';
import { ExperimentReportsService, ExperimentSummary } from '../../experiments/experiment-reports.service';
import { ExperimentsModule } from '../../experiments/experiments.module';
import { alignedTable } from '../aligned-table';
import { requireWritableDirectory, requireWritableFile } from '../command-files';
import { exitCodeOf } from '../exit-codes';
import { instantOption } from '../option-values';
import { group } from '../program';

/** One line per experiment: arms with assigned/delivered users side by side, then the assignment days. */
export function formatExperimentList(list: ExperimentSummary[]): string {
  const header = [
    'EXPERIMENT',
    'CHANNEL',
    'PRIMARY METRIC',
    'ASSIGNED',
    'DELIVERED',
    'ARMS (assigned/delivered)',
    'DAYS',
  ];
  const rows = list.map((e) => [
    e.experimentId,
    e.channel,
    e.primaryMetric,
    String(e.assigned),
    String(e.delivered),
    e.arms.map((a) => `${a.arm} ${a.assigned}/${a.delivered}`).join(', ') || '-',
    e.firstDay ? `${e.firstDay}..${e.lastDay}` : '-',
  ]);
  return alignedTable([header, ...rows]);
}

function reportError(error: unknown): void {
  if (!(error instanceof ExperimentError)) throw error;
  console.error(error.problems.map((p) => p.message).join('; '));
  process.exitCode = exitCodeOf(error);
}

/** `journeycast experiments list | report <id> | write-reports`: reports from the stored statistics. */
export function registerExperimentsCommands(program: Command): void {
  const experiments = group(program, 'experiments');
  experiments
    .command('list')
    .description('List experiments (<campaign>.v<version>) with assigned and delivered users per arm')
    .option('--json', 'one JSON object per line instead of a table')
    .action(async (options: { json?: boolean }) => {
      const list = await withCommandContext([ExperimentsModule], (c) => c.get(ExperimentReportsService).list());
      if (list.length === 0 && !options.json) console.error('no experiments yet: they start with the first send');
      else console.log(options.json ? list.map((e) => JSON.stringify(e)).join('\n') : formatExperimentList(list));
    });
  experiments
    .command('report <experimentId>')
    .description('Print or write one report, read from the sufficient statistics')
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('md'))
    .option('--out <file>', 'write the report to this file instead of printing it')
    .option(
      '--as-of <instant>',
      'read the statistics as of this ISO-8601 instant, with its time zone (now by default)',
      instantOption('--as-of'),
    )
    .action(async (experimentId: string, options: { format: ReportFormatName; out?: string; asOf?: Date }) => {
      requireWritableFile(options.out, '--out');
      try {
        const body = await withCommandContext([ExperimentsModule], async (c) => {
          const reports = c.get(ExperimentReportsService);
          return reports.render(await reports.report(experimentId, options.asOf), options.format).body;
        });
        if (options.out) {
          writeFileSync(options.out, body);
          console.error(`wrote ${resolve(options.out)}`);
        } else process.stdout.write(body.endsWith('\n') ? body : `${body}\n`);
      } catch (error) {
        reportError(error);
      }
    });
  experiments
    .command('write-reports')
    .description('Write every recently active report in every format now (what the scheduled job does)')
    .option('--dir <folder>', 'the reports folder (EXPERIMENTS_REPORTS_DIR by default)')
    .action(async (options: { dir?: string }) => {
      requireWritableDirectory(options.dir, '--dir');
      const written = await withCommandContext([ExperimentsModule], (c) =>
        c.get(ExperimentReportWriter).writeActive(new Date(), options.dir),
      );
      for (const file of written.files) console.log(file);
      console.error(`${written.experiments.length} experiment(s), ${written.files.length} file(s) in ${written.dir}`);
    });
}
