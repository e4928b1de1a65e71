import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { Collection, Connection } from 'mongoose';
import { ErasureModule } from '../../../src/common/erasure/erasure.module';
import { MetricsModule } from '../../../src/common/metrics/metrics.module';
import { DatabaseModule } from '../../../src/common/mongo/database.module';
import { settingsModule } from '../../../src/config/config.module';
import { loadConfig } from '../../../src/config';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { IngestModule } from '../../../src/modules/ingest/ingest.module';
import { startTestMongo } from '../../setup/mongo';

@Module({})
class IngestTestModule {}

export interface IngestContext {
  context: INestApplicationContext;
  /** The stored events, read through the app's own connection. */
  events(): Collection;
}

/**
 * The ingest module (no HTTP, no Redis: it needs neither) on a private embedded server for the enclosing
 * describe block; every test starts with no events.
 */
export function useIngestContext(database: string): IngestContext {
  let mongo: EmbeddedMongo | undefined;
  const harness = {
    events: () => harness.context.get<Connection>(getConnectionToken()).collection('events'),
  } as IngestContext;
  beforeAll(async () => {
    mongo = await startTestMongo();
    const settings = loadConfig({ NODE_ENV: 'test', MONGODB_URI: `${mongo.uri}${database}` });
    harness.context = await NestFactory.createApplicationContext(
      {
        module: IngestTestModule,
        imports: [settingsModule(settings), MetricsModule, ErasureModule, DatabaseModule, IngestModule],
      },
      { logger: false, abortOnError: false },
    );
  });
  afterAll(async () => {
    await harness.context?.close();
    await mongo?.stop();
  });
  beforeEach(async () => {
    await harness.events().deleteMany({});
  });
  return harness;
}
