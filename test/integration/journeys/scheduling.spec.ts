import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { CAMPAIGN_RUN_JOBS, CampaignRunsProducer } from '../../../src/modules/campaigns/runs/jobs/campaign-runs.queue';
import { DELIVERY_JOBS, DeliveryProducer } from '../../../src/modules/delivery/jobs/delivery.queue';
import { JourneysJobsModule } from '../../../src/modules/journeys/jobs/journeys-jobs.module';
import { JOURNEY_JOBS, JourneysProducer } from '../../../src/modules/journeys/jobs/journeys.queue';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { RANKING_JOBS, RankingProducer } from '../../../src/modules/ranking/jobs/ranking.queue';
import { SchedulingModule } from '../../../src/modules/scheduling/scheduling.module';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { db, ingest, journeySettings, population, startJourneysContext, waitForRun } from './journeys-harness';

describe('journey schedules and retraining', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  const apps: INestApplicationContext[] = [];
  const start = async (env: Record<string, string>, modules = [SchedulingModule]) => {
    const app = await startJourneysContext(
      journeySettings(mongo.uri, redis, 'schedules', { JOURNEYS_SCHEDULE_ENABLED: 'true', ...env }),
      modules,
    );
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);

  it('registers each cron once however many scheduler replicas start, and follows a changed pattern', async () => {
    const env = { JOURNEYS_INCREMENTAL_CRON: '0 3 * * *', JOURNEYS_RETRAIN_CRON: '0 2 * * *' };
    const [first] = await Promise.all([start(env), start(env)]);
    const schedules = () => first.get(JourneysProducer).listSchedules();
    expect((await schedules()).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      // Always on: the sweep of build runs whose jobs were lost.
      { name: JOURNEY_JOBS.requeueStranded, cron: '*/5 * * * *' },
      { name: JOURNEY_JOBS.retrain, cron: '0 2 * * *' },
      { name: JOURNEY_JOBS.scheduledIncremental, cron: '0 3 * * *' },
    ]);
    await start({ ...env, JOURNEYS_INCREMENTAL_CRON: '30 4 * * *' });
    expect((await schedules()).find((s) => s.name === JOURNEY_JOBS.scheduledIncremental)).toEqual({
      name: JOURNEY_JOBS.scheduledIncremental,
      cron: '30 4 * * *',
    });
    expect(await schedules()).toHaveLength(3);
    expect(await first.get(RankingProducer).listSchedules()).toEqual([
      { name: RANKING_JOBS.retrain, cron: '30 1 * * *' },
    ]);
    // Always on, once: the completion of campaign runs whose last check was lost.
    expect(await first.get(CampaignRunsProducer).listSchedules()).toEqual([
      { name: CAMPAIGN_RUN_JOBS.complete, cron: '* * * * *' },
    ]);
    // Always on, once: the sweep of messages whose delivery job was lost.
    expect(await first.get(DeliveryProducer).listSchedules()).toEqual([
      { name: DELIVERY_JOBS.redeliverStranded, cron: '* * * * *' },
    ]);
  });

  it('lets a worker turn a cron firing into one incremental run', async () => {
    // A scheduler firing every second (six-field pattern), and a worker.
    const worker = await start({ JOURNEYS_INCREMENTAL_CRON: '* * * * * *', JOURNEYS_RETRAIN_CRON: '0 2 * * *' }, [
      SchedulingModule,
      JourneysJobsModule,
    ]);
    await ingest(worker, population(6, 4).events);
    const runs = db(worker).collection('journey_build_runs');
    let first: { runId: string } | null = null;
    for (let i = 0; i < 100 && !first; i++) {
      await new Promise((r) => setTimeout(r, 100));
      first = await runs.findOne<{ runId: string }>({ trigger: 'schedule', kind: 'incremental' });
    }
    expect(first?.runId).toMatch(/^incremental-\d+$/);
    const run = await waitForRun(worker, first!.runId);
    expect(run).toMatchObject({ status: 'completed', trigger: 'schedule' });
    await worker.get(JourneysProducer).schedule(JOURNEY_JOBS.scheduledIncremental, '0 3 * * *');
  });

  it('retrains to the same version on unchanged events (no rebuild) and to a new one with a full run otherwise', async () => {
    const app = apps[apps.length - 1];
    const runs = app.get(JourneyRunsService);
    const first = await runs.retrain();
    const again = await runs.retrain();
    expect(again).toEqual({ version: first.version, changed: false });
    await ingest(
      app,
      population(6, 99).events.map((e) => ({ ...e, id: `more-${e.id}`, userId: `more-${e.userId}` })),
    );
    const retrained = await runs.retrain();
    expect(retrained).toMatchObject({ changed: true, runId: `full-${retrained.version}` });
    expect(retrained.version).not.toBe(first.version);
    const run = await waitForRun(app, retrained.runId!);
    expect(run).toMatchObject({
      kind: 'full',
      trigger: 'retrain',
      status: 'completed',
      modelVersion: retrained.version,
    });
  });
});
