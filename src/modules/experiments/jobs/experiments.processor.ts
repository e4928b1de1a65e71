import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { Job } from 'bull';
import { ExperimentReportWriter } from '../experiment-report-writer.service';
import { EXPERIMENT_JOBS, EXPERIMENTS_QUEUE } from './experiments.queue';

/** Runs the scheduled report job; the work lives in ExperimentReportWriter. */
@Processor(EXPERIMENTS_QUEUE)
export class ExperimentsProcessor {
  private readonly logger = new Logger(ExperimentsProcessor.name);

  constructor(private readonly writer: ExperimentReportWriter) {}

  @Process(EXPERIMENT_JOBS.writeReports)
  async handleWriteReports(job: Job): Promise<{ experiments: string[]; files: number }> {
    this.logger.log(`experiment reports started (job ${job.id})`);
    const written = await this.writer.writeActive(new Date());
    return { experiments: written.experiments, files: written.files.length };
  }
}
