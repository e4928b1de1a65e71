import { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import { Connection } from 'mongoose';
import { ErasureModule } from '../../../src/common/erasure/erasure.module';
import { MetricsModule } from '../../../src/common/metrics/metrics.module';
import { DatabaseModule } from '../../../src/common/mongo/database.module';
import { loadConfig } from '../../../src/config';
import { settingsModule } from '../../../src/config/config.module';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { ExperimentsModule } from '../../../src/modules/experiments/experiments.module';
import { startTestMongo } from '../../setup/mongo';

/** The experiments module on a private embedded MongoDB-compatible server: no Redis, no HTTP. */
export interface ExperimentsContext {
  app: INestApplicationContext;
  db(): Connection;
  close(): Promise<void>;
}

/** Starts the server and the module; `env` sets configuration variables (e.g. the global control group). */
export async function startExperimentsContext(
  database: string,
  env: Record<string, string> = {},
  mongo?: EmbeddedMongo,
): Promise<ExperimentsContext> {
  const server = mongo ?? (await startTestMongo());
  const settings = loadConfig({ NODE_ENV: 'test', MONGODB_URI: `${server.uri}${database}`, ...env });
  const moduleRef = await Test.createTestingModule({
    imports: [settingsModule(settings), MetricsModule, ErasureModule, DatabaseModule, ExperimentsModule],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return {
    app,
    db: () => app.get<Connection>(getConnectionToken()),
    close: async () => {
      await app.close();
      if (!mongo) await server.stop();
    },
  };
}
