import { BullModule, getQueueToken } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Job, Queue } from 'bull';
import { MetricsModule } from '../../../src/common/metrics/metrics.module';
import { QueueModule } from '../../../src/common/queue/queue.module';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { loadConfig } from '../../../src/config';
import { settingsModule } from '../../../src/config/config.module';
import { startTestRedis } from '../../setup/redis';

// Each queue in a module of its own, as the app's feature modules register theirs.
@Module({ imports: [BullModule.registerQueue({ name: 'shutdown-first' })] })
class FirstQueueModule {}
@Module({ imports: [BullModule.registerQueue({ name: 'shutdown-second' })] })
class SecondQueueModule {}
@Module({ imports: [BullModule.registerQueue({ name: 'shutdown-third' })] })
class ThirdQueueModule {}

describe('shutting the queues down', () => {
  let redis: RedisProcess;

  beforeAll(async () => {
    redis = await startTestRedis();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  async function start(prefix: string) {
    const settings = loadConfig({ NODE_ENV: 'test', REDIS_URL: redis.url, REDIS_PREFIX: prefix });
    const moduleRef = await Test.createTestingModule({
      imports: [
        await settingsModule(settings),
        MetricsModule,
        QueueModule,
        FirstQueueModule,
        SecondQueueModule,
        ThirdQueueModule,
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const queue = (name: string) => app.get<Queue>(getQueueToken(name));
    return { app, first: queue('shutdown-first'), second: queue('shutdown-second'), third: queue('shutdown-third') };
  }

  it('lets a running job enqueue into another queue, then closes every queue', async () => {
    const { app, first, second, third } = await start('shutdown-a');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const outcome: { enqueued?: string; error?: string } = {};
    void first.process(async (job: Job<{ user: string }>) => {
      running();
      await held;
      try {
        outcome.enqueued = String((await second.add({ user: job.data.user })).id);
      } catch (error) {
        outcome.error = (error as Error).message;
        throw error;
      }
    });
    // A worker of the third queue too: its blocking connection is what makes a close take time.
    void third.process(async () => undefined);
    const job = await first.add({ user: 'u1' });
    await started;

    const closing = app.close();
    // The app is closing while the job still runs; it finishes only now, and its enqueue must still work.
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await closing;

    expect(outcome.error).toBeUndefined();
    expect(outcome.enqueued).toBeDefined();
    for (const queue of [first, second, third]) expect((queue as Queue & { closed?: boolean }).closed).toBe(true);

    // What it enqueued is in Redis for the next worker, and the job itself completed.
    const { first: firstAgain, second: secondAgain, app: again } = await start('shutdown-a');
    expect(await (await firstAgain.getJob(job.id))?.getState()).toBe('completed');
    expect(await secondAgain.getWaitingCount()).toBe(1);
    await again.close();
  });
});
