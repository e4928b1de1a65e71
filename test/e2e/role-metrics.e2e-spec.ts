import { getQueueToken } from '@nestjs/bull';
import { INestApplication } from '@nestjs/common';
import { Queue } from 'bull';
import request from 'supertest';
import { createApp, createContext, createOpsApp } from '../../src/app.factory';
import { servesHttp } from '../../src/app.roles';
import { MetricsRegistry } from '../../src/common/metrics/metrics.registry';
import { loadConfig } from '../../src/config';
import { AppRole } from '../../src/config/app.config';
import { DeliveryMetrics } from '../../src/modules/delivery/delivery.metrics';
import { DELIVERY_QUEUE } from '../../src/modules/delivery/jobs/delivery.queue';
import { TestServers, startTestServers } from './support/test-app';

jest.setTimeout(60_000);

const ROLES: AppRole[] = ['api', 'worker', 'scheduler', 'all'];

describe('each APP_ROLE registers its metrics once and serves them', () => {
  let servers: TestServers;

  beforeAll(async () => {
    servers = await startTestServers();
  });
  afterAll(async () => {
    await servers?.stop();
  });

  const settingsFor = (role: AppRole, opsPort: string, database = `role_metrics_${role}`) =>
    loadConfig({
      NODE_ENV: 'test',
      APP_ROLE: role,
      OPS_PORT: opsPort,
      MONGODB_URI: `${servers.mongoUri}${database}`,
      REDIS_URL: servers.redis.url,
      REDIS_PREFIX: database,
      CAMPAIGN_SCHEDULES_ENABLED: 'false',
      JOURNEYS_SCHEDULE_ENABLED: 'false',
      RANKER_SCHEDULE_ENABLED: 'false',
    });

  it.each(ROLES)('%s boots and answers /health and /metrics on its HTTP or ops port', async (role) => {
    const settings = settingsFor(role, '9464');
    const app: INestApplication = servesHttp(role)
      ? await createApp(settings, false)
      : await createOpsApp(settings, false);
    try {
      await app.init();
      await request(app.getHttpServer()).get('/health').expect(200);
      const page = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
      expect(page).toContain('# TYPE journeycast_queue_jobs gauge');
      expect(page).toContain('# TYPE journeycast_http_requests_total counter');
      expect(page).toContain('journeycast_process_cpu_user_seconds_total');
      // Each family once: a metric two modules both registered would show twice (or have thrown at boot).
      const types = page.split('\n').filter((line) => line.startsWith('# TYPE '));
      expect(types.length).toBe(new Set(types).size);
    } finally {
      await app.close();
    }
  });

  it.each(['worker', 'scheduler'] as AppRole[])('%s boots without OPS_PORT and keeps its metrics', async (role) => {
    const context = await createContext(settingsFor(role, '0'), false);
    try {
      await context.init();
      expect(await context.get(MetricsRegistry).render()).toContain('# TYPE journeycast_queue_jobs gauge');
    } finally {
      await context.close();
    }
  });

  it('reports the same queue depths and notification counts from every process of a deployment', async () => {
    const api = await createApp(settingsFor('api', '0', 'role_metrics_shared'), false);
    const worker = await createOpsApp(settingsFor('worker', '9464', 'role_metrics_shared'), false);
    const other = await createApp(settingsFor('api', '0', 'role_metrics_shared'), false);
    try {
      await Promise.all([api.init(), worker.init(), other.init()]);
      const queue = worker.get<Queue>(getQueueToken(DELIVERY_QUEUE));
      const job = await queue.add('held', {}, { delay: 3_600_000 });
      const counts = worker.get(DeliveryMetrics);
      counts.count('sent', { campaignId: 'digest', channel: 'email' }, 3);
      await counts.flush();
      const lines = async (app: INestApplication, metric: string) =>
        (await request(app.getHttpServer()).get('/metrics').expect(200)).text
          .split('\n')
          .filter((line) => line.startsWith(`${metric}{`));
      const delayed = `journeycast_queue_jobs{queue="${DELIVERY_QUEUE}",state="delayed"} 1`;
      for (const app of [api, worker, other]) expect(await lines(app, 'journeycast_queue_jobs')).toContain(delayed);
      // Sending counters are the API's: each API replica shows the whole deployment's.
      const sent = 'journeycast_notifications_total{event="sent",campaign="digest",channel="email",reason=""} 3';
      for (const app of [api, other]) expect(await lines(app, 'journeycast_notifications_total')).toEqual([sent]);
      await job.remove();
    } finally {
      await Promise.all([api.close(), worker.close(), other.close()]);
    }
  });
});
