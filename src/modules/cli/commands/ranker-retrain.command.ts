import { Command } from 'commander';
import { ConfigService } from '@nestjs/config';
import { withCommandContext } from '../../../common/cli/command-context';
import { Settings } from '../../../config/settings';
import { RankingProducer } from '../../ranking/jobs/ranking.queue';
import { RankingQueueModule } from '../../ranking/jobs/ranking-queue.module';
import { RankerTrainingService, retrainSummary } from '../../ranking/ranker-training.service';
import { RankingModule } from '../../ranking/ranking.module';
import { EXIT_REFUSED } from '../exit-codes';
import { group } from '../program';

/**
 * `journeycast ranker retrain`: queues a retrain of the journey ranker from the logged notification outcomes
 * for the deployment's workers and prints the job id; `--wait` trains in this process instead and prints
 * what it did (promoted, rejected by the gate, or skipped for too few labelled examples: exit 2).
 */
export function registerRetrainRankerCommand(program: Command): void {
  group(program, 'ranker')
    .command('retrain')
    .description('Retrain the journey ranker from logged notification outcomes, as the nightly schedule does')
    .option('--wait', 'train in this process and print the outcome')
    .action(async (options: { wait?: boolean }) => {
      if (!options.wait) {
        const jobId = await withCommandContext(
          [RankingQueueModule],
          (context) => context.get(RankingProducer).enqueueRetrain(),
          // The job is for the deployment's workers: never a private Redis.
          { redis: 'running' },
        );
        console.log(jobId);
        return;
      }
      const summary = await withCommandContext([RankingModule], async (context) => {
        const policy = context.get<ConfigService<Settings, true>>(ConfigService).get('ranking', { infer: true });
        return retrainSummary(await context.get(RankerTrainingService).retrain(new Date(), policy));
      });
      console.error(
        summary.status === 'skipped'
          ? `not retrained: ${summary.reason}`
          : summary.status === 'promoted'
            ? `ranker ${summary.version} promoted: journey builds use it from now on`
            : `ranker ${summary.version} stored as a candidate only: the model in use ranks the latest examples better`,
      );
      console.log(JSON.stringify(summary));
      if (summary.status === 'skipped') process.exitCode = EXIT_REFUSED;
    });
}
