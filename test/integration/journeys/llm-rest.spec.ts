import { INestApplicationContext } from '@nestjs/common';
import { MetricsRegistry } from '../../../src/common/metrics/metrics.registry';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { titleCase } from '../../../src/lib/text/normalize';
import { JourneysJobsModule } from '../../../src/modules/journeys/jobs/journeys-jobs.module';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { JourneysService } from '../../../src/modules/journeys/journeys.service';
import { llmClock, TestLlmClockModule } from '../../setup/llm-clock';
import { FakeChatRequest, FakeOpenAiServer, FakeReply } from '../../setup/openai-server';
import { startTestMongo } from '../../setup/mongo';
import { sample, total } from '../../setup/prometheus';
import { startTestRedis } from '../../setup/redis';
import { ingest, journeySettings, population, startJourneysContext, waitForRun } from './journeys-harness';

const REST_MS = 60_000;

const overloaded: FakeReply = { status: 503, body: '{"error":{"message":"overloaded"}}' };

/** A model that names a journey after its heaviest keyword and answers expansions with valid JSON. */
function healthy(request: FakeChatRequest): FakeReply {
  const related = ['Pantry Makeover', 'Garden Shed Build', 'Patio Refresh', 'Tile Backsplash', 'Home Office Setup'];
  if (request.response_format?.json_schema?.name === 'related_journeys') {
    return { content: JSON.stringify({ related }) };
  }
  const keywords = /<keywords>\n(.*)\n/.exec(request.messages.find((m) => m.role === 'user')?.content ?? '');
  return { content: JSON.stringify({ name: `${titleCase(JSON.parse(keywords![1]) as string)} Plans` }) };
}

describe('journey builds against a failing LLM endpoint', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let server: FakeOpenAiServer;
  let app: INestApplicationContext;
  const { events, userIds } = population(16, 11);

  const breakerOpen = async () =>
    sample(await app.get(MetricsRegistry).render(), 'journeycast_llm_breaker_open{model="test-model"}');

  beforeAll(async () => {
    [mongo, redis, server] = await Promise.all([startTestMongo(), startTestRedis(), FakeOpenAiServer.start()]);
    server.onChat(() => overloaded);
    app = await startJourneysContext(
      journeySettings(mongo.uri, redis, 'llm_rest', {
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: server.baseUrl,
        OPENAI_MODEL: 'test-model',
        OPENAI_MAX_RETRIES: '0',
        OPENAI_REST_AFTER_FAILURES: '2',
        OPENAI_REST_MS: String(REST_MS),
      }),
      [JourneysJobsModule, TestLlmClockModule],
    );
    await ingest(app, events);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop(), server?.stop()]);
  }, 30_000);

  it('calls an endpoint that keeps failing only as often as the configured failures before a rest, for every user', async () => {
    const run = await waitForRun(app, (await app.get(JourneyRunsService).requestRun('full', 'manual')).runId);
    expect(run.status).toBe('completed');
    expect(run.counts.built).toBe(userIds.length);
    // Naming and expansion of every user fell back without a call once the endpoint had failed twice in a row.
    expect(server.requests.length).toBeLessThanOrEqual(2);
    expect(server.requests.length).toBeGreaterThan(0);
    const view = await app.get(JourneysService).rebuildUser(userIds[0]);
    expect(view.journeys.length).toBeGreaterThan(0);
    expect(view.journeys.every(({ journey }) => journey.namedBy === 'keyword')).toBe(true);
    expect(server.requests.length).toBeLessThanOrEqual(2);

    const page = await app.get(MetricsRegistry).render();
    expect(sample(page, 'journeycast_llm_breaker_open{model="test-model"}')).toBe(1);
    expect(total(page, 'journeycast_llm_calls_total', /outcome="rested"/)).toBeGreaterThan(0);
    expect(total(page, 'journeycast_llm_calls_total', /outcome="failed"/)).toBe(server.requests.length);
  });

  it('calls again after the rest, and a call that succeeds ends it', async () => {
    server.onChat(healthy);
    const before = server.requests.length;
    llmClock.ms += REST_MS;
    const view = await app.get(JourneysService).rebuildUser(userIds[1]);
    expect(server.requests.length).toBeGreaterThan(before);
    expect(view.journeys.some(({ journey }) => journey.namedBy === 'llm')).toBe(true);
    expect(await breakerOpen()).toBe(0);
  });
});
