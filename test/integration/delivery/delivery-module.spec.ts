import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { existsSync } from 'node:fs';
import { generateVAPIDKeys } from 'web-push';
import { MetricsModule } from '../../../src/common/metrics/metrics.module';
import { MetricsRegistry } from '../../../src/common/metrics/metrics.registry';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { RedisModule } from '../../../src/common/redis/redis.module';
import { loadConfig } from '../../../src/config';
import { settingsModule } from '../../../src/config/config.module';
import { ChannelRegistry } from '../../../src/modules/delivery/channel-registry';
import { DELIVERY_RETRY_POLICY, DeliveryModule } from '../../../src/modules/delivery/delivery.module';
import { emailMessage, pushMessage } from '../../../src/modules/delivery/domain/testing/messages.fixture';
import { SendRateLimiter } from '../../../src/modules/delivery/send-rate-limiter';
import { startTestRedis } from '../../setup/redis';
import { SmtpSink } from '../../setup/smtp-sink';
import { deliveryError, scratchDir } from './channels-harness';

describe(DeliveryModule.name, () => {
  let redis: RedisProcess;
  let scratch: ReturnType<typeof scratchDir>;
  let app: INestApplicationContext | undefined;

  async function start(env: Record<string, string>): Promise<INestApplicationContext> {
    const settings = loadConfig({ NODE_ENV: 'test', REDIS_URL: redis.url, DELIVERY_OUTBOX_DIR: scratch.dir, ...env });
    const moduleRef = await Test.createTestingModule({
      imports: [settingsModule(settings), MetricsModule, RedisModule, DeliveryModule],
    }).compile();
    app = await moduleRef.createNestApplication({ logger: false }).init();
    return app;
  }

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  beforeEach(() => {
    scratch = scratchDir('delivery-module');
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    scratch.remove();
  });
  afterAll(() => redis.stop());

  it('sends everything to the outbox by default, with no credentials, and counts the sends', async () => {
    const context = await start({});
    const channels = context.get(ChannelRegistry);
    expect(channels.configuredProviders()).toEqual(['outbox']);
    const receipt = await channels.send(emailMessage());
    expect(receipt.provider).toBe('outbox');
    expect(existsSync(receipt.response!)).toBe(true);
    await channels.send(pushMessage());
    const metrics = await context.get(MetricsRegistry).render();
    expect(metrics).toContain('journeycast_delivery_sends_total{provider="outbox",outcome="accepted"} 2');
    expect(context.get(DELIVERY_RETRY_POLICY)).toEqual({ maxAttempts: 8, baseDelayMs: 2000, maxDelayMs: 3_600_000 });
    expect((await context.get(SendRateLimiter).tryAcquire(pushMessage())).granted).toBe(true);
  });

  it('routes email to SMTP once SMTP_URL is set, and push by platform to the providers that have credentials', async () => {
    const sink = await SmtpSink.start();
    try {
      const vapid = generateVAPIDKeys();
      const context = await start({
        SMTP_URL: sink.url,
        DELIVERY_PUSH_CHANNEL: 'providers',
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:ops@example.com',
      });
      const channels = context.get(ChannelRegistry);
      expect(channels.configuredProviders().sort()).toEqual(['outbox', 'smtp', 'webpush']);
      await expect(channels.send(emailMessage())).resolves.toMatchObject({ provider: 'smtp' });
      expect(sink.messages).toHaveLength(1);
      expect(await deliveryError(channels.send(pushMessage()))).toMatchObject({
        code: 'delivery.not-configured',
        provider: 'fcm',
        retryable: false,
      });
      expect(await context.get(MetricsRegistry).render()).toContain(
        'journeycast_delivery_sends_total{provider="fcm",outcome="delivery.not-configured"} 1',
      );
    } finally {
      await app?.close();
      app = undefined;
      await sink.stop();
    }
  });
});
