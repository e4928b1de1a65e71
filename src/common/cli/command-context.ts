import { INestApplicationContext, Logger, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppLogger } from '../logging/app-logger';
import { ErasureModule } from '../erasure/erasure.module';
import { MetricsModule } from '../metrics/metrics.module';
import { DatabaseModule } from '../mongo/database.module';
import { provisionServers } from '../infrastructure/provision';
import { QueueModule } from '../queue/queue.module';
import { settingsModule } from '../../config/config.module';
import { loadConfig } from '../../config/load-config';
import { ConfigError } from '../../config/parsers';
import { processEnvironment } from '../../config/process-env';

@Module({})
class CommandModule {}

/**
 * Runs a CLI command against the configured MongoDB (embedded when MONGODB_URI is unset) with just
 * the feature modules it needs, then closes everything; logs go to stderr at warn level. Commands whose
 * modules own a Bull queue pass `{ redis: true }` (REDIS_URL, the local Redis, or a private one), or
 * `{ redis: 'running' }` when they queue work for the deployment's workers, which a private one would hide.
 */
export async function withCommandContext<T>(
  imports: Type[],
  run: (context: INestApplicationContext) => Promise<T>,
  options: { redis?: boolean | 'running' } = {},
): Promise<T> {
  const settings = loadConfig(processEnvironment());
  const logger = new AppLogger({ json: settings.app.logFormat === 'json', level: 'warn', stderr: true });
  Logger.overrideLogger(logger);
  const servers = await provisionServers(settings, { redis: options.redis ?? false }).catch((error: unknown) => {
    if (!(error instanceof ConfigError) || options.redis !== 'running') throw error;
    throw new ConfigError(`${error.message}. Set REDIS_URL to the deployment's Redis`);
  });
  try {
    const context = await NestFactory.createApplicationContext(
      {
        module: CommandModule,
        imports: [
          settingsModule(servers.settings),
          MetricsModule,
          ErasureModule,
          DatabaseModule,
          ...(options.redis !== undefined && options.redis !== false ? [QueueModule] : []),
          ...imports,
        ],
      },
      { logger },
    );
    try {
      return await run(context);
    } finally {
      await context.close();
    }
  } finally {
    await servers.stop();
  }
}
