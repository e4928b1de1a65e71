import { Command } from 'commander';
import { withCommandContext } from '../../../common/cli/command-context';
import { JourneysProducer } from '../../journeys/jobs/journeys.queue';
import { JourneyRunsService } from '../../journeys/journey-runs.service';
import { JourneysModule } from '../../journeys/journeys.module';
import { PlatformEmbedderService } from '../../journeys/platform-embedder.service';
import { group } from '../program';

/**
 * `journeycast journeys retrain`: queues a retrain of the platform embedder for the deployment's workers and
 * prints the job id; `--wait` trains in this process instead and prints the model (a changed model queues a
 * full build run, whose id is printed too).
 */
export function registerRetrainJourneysCommand(program: Command): void {
  group(program, 'journeys')
    .command('retrain')
    .description('Retrain the platform embedder journeys are clustered with; a changed model starts a full run')
    .option('--wait', 'train in this process and print the resulting model')
    .action(async (options: { wait?: boolean }) => {
      await withCommandContext(
        [JourneysModule],
        async (context) => {
          if (!options.wait) {
            console.log(await context.get(JourneysProducer).enqueueRetrain());
            return;
          }
          const result = await context.get(JourneyRunsService).retrain();
          const status = await context.get(PlatformEmbedderService).status();
          console.error(
            `model ${result.version}${result.changed ? `: new, full run ${result.runId} queued` : ': unchanged'}`,
          );
          console.log(JSON.stringify({ ...status, changed: result.changed, runId: result.runId }));
        },
        // The job, or the full run a changed model starts, is for the deployment's workers: never a private Redis.
        { redis: 'running' },
      );
    });
}
