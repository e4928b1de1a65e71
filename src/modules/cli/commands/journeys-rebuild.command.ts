import { INestApplicationContext, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { ErasureModule } from '../../../common/erasure/erasure.module';
import { provisionServers } from '../../../common/infrastructure/provision';
import { AppLogger } from '../../../common/logging/app-logger';
import { MetricsModule } from '../../../common/metrics/metrics.module';
import { DatabaseModule } from '../../../common/mongo/database.module';
import { QueueModule } from '../../../common/queue/queue.module';
import { settingsModule } from '../../../config/config.module';
import { ConfigError } from '../../../config/parsers';
import { loadConfig } from '../../../config/load-config';
import { processEnvironment } from '../../../config/process-env';
import { JourneysJobsModule } from '../../journeys/jobs/journeys-jobs.module';
import { JourneyBuildRunRecord, RunKind } from '../../journeys/journey-build-run.schema';
import { JourneyRunsService } from '../../journeys/journey-runs.service';
import { JourneysModule } from '../../journeys/journeys.module';
import { PlatformEmbedderService } from '../../journeys/platform-embedder.service';
import { positiveInteger } from '../option-values';
import { group } from '../program';

interface RebuildOptions {
  all?: boolean;
  wait?: boolean;
  local?: boolean;
  timeout: number;
}

@Module({})
class RebuildCommandModule {}

function describeRun(run: JourneyBuildRunRecord): string {
  const { selected, built, skipped, failed } = run.counts;
  return `run ${run.runId}: ${run.status}, shards ${run.doneShards.length}/${run.shardCount}, selected ${selected}, built ${built}, skipped ${skipped}, failed ${failed}`;
}

async function waitForRun(
  context: INestApplicationContext,
  runId: string,
  timeoutMs: number,
): Promise<JourneyBuildRunRecord> {
  const runs = context.get(JourneyRunsService);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const run = await runs.findRun(runId);
    if (!run) throw new Error(`run ${runId} vanished`);
    const line = describeRun(run);
    if (line !== last) console.error((last = line));
    if (run.status === 'completed' || run.status === 'failed') return run;
    if (Date.now() > deadline) {
      // The run goes on: the deployment's workers build it when they take its jobs.
      const idle = run.status === 'pending' ? ' (no worker has taken it: are workers running on this Redis?)' : '';
      throw new Error(`run ${runId} is still ${run.status} after ${timeoutMs / 1000} s${idle}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * `journeycast journeys rebuild`: queues a manual build run for the deployment's workers (incremental by
 * default, every user with `--all`); `--wait` follows it to the end, `--local` also builds in this process.
 */
export function registerRebuildJourneysCommand(program: Command): void {
  group(program, 'journeys')
    .command('rebuild')
    .description('Queue a journey build run: users with new events, or everyone with --all')
    .option('--all', 'rebuild every user with events (a full run)')
    .option('--wait', 'follow the run until it completes')
    .option('--local', 'build in this process too (no running worker needed); implies --wait')
    .option(
      '--timeout <seconds>',
      'with --wait or --local: give up waiting after this many seconds',
      positiveInteger,
      3600,
    )
    .action(async (options: RebuildOptions) => {
      const settings = loadConfig(processEnvironment());
      const logger = new AppLogger({ json: settings.app.logFormat === 'json', level: 'warn', stderr: true });
      Logger.overrideLogger(logger);
      // Queuing for the deployment's workers needs the Redis they use (REDIS_URL, or the one a running
      // app published); a private Redis would queue the run where no worker looks.
      const servers = await provisionServers(settings, { redis: options.local ? true : 'running' }).catch(
        (error: unknown) => {
          if (!(error instanceof ConfigError) || options.local) throw error;
          throw new ConfigError(`${error.message}. Set REDIS_URL to the deployment's Redis, or pass --local`);
        },
      );
      try {
        const context = await NestFactory.createApplicationContext(
          {
            module: RebuildCommandModule,
            imports: [
              settingsModule(servers.settings),
              MetricsModule,
              ErasureModule,
              DatabaseModule,
              QueueModule,
              JourneysModule,
              ...(options.local ? [JourneysJobsModule] : []),
            ],
          },
          { logger },
        );
        try {
          const kind: RunKind = options.all ? 'full' : 'incremental';
          const run = await context.get(JourneyRunsService).requestRun(kind, 'manual');
          console.log(run.runId);
          if (options.wait || options.local) {
            const finished = await waitForRun(context, run.runId, options.timeout * 1000);
            // The run chose its model when it started (retraining it first if the events outgrew it).
            if (finished.modelVersion) {
              console.error(await context.get(PlatformEmbedderService).describe(finished.modelVersion));
            }
            if (finished.status !== 'completed' || finished.counts.failed > 0) process.exitCode = 1;
          }
        } finally {
          await context.close();
        }
      } finally {
        await servers.stop();
      }
    });
}
