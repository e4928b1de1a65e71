import { INestApplicationContext } from '@nestjs/common';
import { MetricsRegistry } from '../../../src/common/metrics/metrics.registry';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { startTestMongo } from '../../setup/mongo';
import { sample } from '../../setup/prometheus';
import { startTestRedis } from '../../setup/redis';
import { ingest, journeySettings, population, startJourneysContext, waitForRun } from './journeys-harness';

describe('queue metrics', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startJourneysContext(journeySettings(mongo.uri, redis, 'queue_metrics'));
    await ingest(app, population(12, 4).events);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  }, 30_000);

  it('counts jobs by state per queue and times the jobs this process ran', async () => {
    const shardsDone =
      'journeycast_queue_job_duration_seconds_count{queue="journeys",job="journeys.build-shard",outcome="completed"}';
    const metrics = app.get(MetricsRegistry);
    const before = await metrics.render();
    expect(sample(before, 'journeycast_queue_jobs{queue="journeys",state="completed"}')).toBe(0);
    expect(sample(before, 'journeycast_queue_jobs{queue="journeys",state="waiting"}')).toBe(0);

    const run = await waitForRun(app, (await app.get(JourneyRunsService).requestRun('full', 'manual')).runId);
    expect(run.status).toBe('completed');
    // The run completes inside its last shard job, just before Bull records that job completed.
    let after = await metrics.render();
    for (let tries = 0; tries < 50 && sample(after, shardsDone) !== 2; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await metrics.render();
    }
    // One start job and two shards of ten users.
    expect(sample(after, 'journeycast_queue_jobs{queue="journeys",state="completed"}')).toBeGreaterThanOrEqual(2);
    expect(sample(after, shardsDone)).toBe(2);
    expect(
      sample(
        after,
        'journeycast_queue_job_duration_seconds_sum{queue="journeys",job="journeys.build-shard",outcome="completed"}',
      ),
    ).toBeGreaterThan(0);
  });
});
