import { INestApplicationContext, Type } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { ErasureModule } from '../../src/common/erasure/erasure.module';
import { MetricsModule } from '../../src/common/metrics/metrics.module';
import { DatabaseModule } from '../../src/common/mongo/database.module';
import { QueueModule } from '../../src/common/queue/queue.module';
import { RedisModule } from '../../src/common/redis/redis.module';
import { Settings } from '../../src/config';
import { settingsModule } from '../../src/config/config.module';

/**
 * Feature modules on real MongoDB and Redis without HTTP, as a worker process composes them: the
 * settings, metrics, erasure, database, Redis and queue modules every role has, then `modules`; `configure`
 * may override providers (the transport that trusts the loopback providers' certificate, say).
 */
export async function startNestContext(
  settings: Settings,
  modules: Type[],
  configure: (builder: TestingModuleBuilder) => TestingModuleBuilder = (builder) => builder,
): Promise<INestApplicationContext> {
  const builder = Test.createTestingModule({
    imports: [
      settingsModule(settings),
      MetricsModule,
      ErasureModule,
      DatabaseModule,
      RedisModule,
      QueueModule,
      ...modules,
    ],
  });
  const moduleRef = await configure(builder).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}
