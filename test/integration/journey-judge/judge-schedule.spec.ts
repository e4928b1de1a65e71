import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { JourneyJudgeJobsModule } from '../../../src/modules/journey-judge/jobs/journey-judge-jobs.module';
import { JourneyJudgeProducer } from '../../../src/modules/journey-judge/jobs/journey-judge.queue';
import { JourneysJobsModule } from '../../../src/modules/journeys/jobs/journeys-jobs.module';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { SchedulingModule } from '../../../src/modules/scheduling/scheduling.module';
import { FakeOpenAiServer } from '../../setup/openai-server';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import {
  db,
  ingest,
  journeySettings,
  population,
  startJourneysContext,
  waitForRun,
} from '../journeys/journeys-harness';
import { evidenceReply, isJudgeCall, modelWith } from '../../setup/judge-model';

/** Polls until `read` returns a value, failing after `timeoutMs`. */
async function eventually<T>(read: () => Promise<T | null | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the scheduled journey judge', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let server: FakeOpenAiServer;
  let app: INestApplicationContext;

  beforeAll(async () => {
    [mongo, redis, server] = await Promise.all([startTestMongo(), startTestRedis(), FakeOpenAiServer.start()]);
    server.onChat(modelWith(evidenceReply));
    // A scheduler firing the judge every second, and a worker that builds journeys and judges them.
    app = await startJourneysContext(
      journeySettings(mongo.uri, redis, 'judge_schedule', {
        JOURNEYS_SCHEDULE_ENABLED: 'true',
        JOURNEYS_INCREMENTAL_CRON: '0 3 * * *',
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: server.baseUrl,
        OPENAI_MAX_RETRIES: '0',
        JUDGE_CRON: '* * * * * *',
        JUDGE_SAMPLE_SIZE: '4',
        // Above any mean the judge can give these journeys: the alert fires.
        JUDGE_ALERT_MIN_MEAN_GRADE: '5',
      }),
      [SchedulingModule, JourneysJobsModule, JourneyJudgeJobsModule],
    );
    await ingest(app, population(8, 31, 40).events, new Date(Date.now() - 10_000));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop(), server?.stop()]);
  }, 30_000);

  it('registers the judge cron', async () => {
    const schedules = await app.get(JourneyJudgeProducer).listSchedules();
    expect(schedules).toEqual([{ name: 'journey-judge.scheduled', cron: '* * * * * *' }]);
  });

  it('judges each completed full rebuild once, on a worker, and raises the alert below the threshold', async () => {
    const judgements = db(app).collection('journey_judgements');
    expect(await judgements.countDocuments()).toBe(0);
    const run = await waitForRun(app, (await app.get(JourneyRunsService).requestRun('full', 'manual')).runId, 60_000);
    expect(run.status).toBe('completed');
    const judged = await eventually(() =>
      judgements.findOne({ judgementId: `scheduled-${run.runId}`, status: 'completed' }),
    );
    expect(judged).toMatchObject({
      buildRunId: run.runId,
      trigger: 'schedule',
      counts: { sampled: 4, judged: 4 },
      alert: { minMeanGrade: 5, triggered: true },
    });
    const calls = server.requests.filter(isJudgeCall).length;
    expect(calls).toBe(4);
    // Later firings find nothing new to judge.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await judgements.countDocuments()).toBe(1);
    expect(server.requests.filter(isJudgeCall).length).toBe(calls);
  }, 90_000);
});
