import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Settings } from '../../config/settings';
import { REPORT_FORMATS } from './domain';
import { ExperimentReportsService } from './experiment-reports.service';

/** Experiments whose last assignment is older than this are finished: their reports are no longer rewritten. */
const ACTIVE_DAYS = 30;
const DAY = 86_400_000;

export interface WrittenReports {
  dir: string;
  experiments: string[];
  files: string[];
}

/**
 * Writes every recently active experiment's report in each format to the reports folder, each file
 * replaced whole (written aside, then renamed), so a reader never sees half a report.
 */
@Injectable()
export class ExperimentReportWriter {
  private readonly logger = new Logger(ExperimentReportWriter.name);

  constructor(
    private readonly reports: ExperimentReportsService,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  async writeActive(
    now: Date,
    dir = this.config.get('experiments', { infer: true }).reportsDir,
  ): Promise<WrittenReports> {
    const folder = resolve(dir);
    await mkdir(folder, { recursive: true });
    const since = new Date(now.getTime() - ACTIVE_DAYS * DAY).toISOString().slice(0, 10);
    const active = (await this.reports.list()).filter((e) => e.lastDay !== null && e.lastDay >= since);
    const files: string[] = [];
    for (const experiment of active) {
      const report = await this.reports.report(experiment.experimentId);
      for (const format of REPORT_FORMATS) {
        const file = join(folder, `${experiment.experimentId}.${format}`);
        await writeFile(`${file}.tmp`, this.reports.render(report, format).body);
        await rename(`${file}.tmp`, file);
        files.push(file);
      }
    }
    this.logger.log(`wrote ${files.length} report file(s) of ${active.length} experiment(s) to ${folder}`);
    return { dir: folder, experiments: active.map((e) => e.experimentId), files };
  }
}
