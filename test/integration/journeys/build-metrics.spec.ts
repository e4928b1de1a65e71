import { INestApplicationContext } from '@nestjs/common';
import { MetricsRegistry } from '../../../src/common/metrics/metrics.registry';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { FakeChatRequest, FakeOpenAiServer } from '../../setup/openai-server';
import { startTestMongo } from '../../setup/mongo';
import { sample, total } from '../../setup/prometheus';
import { startTestRedis } from '../../setup/redis';
import { ingest, journeySettings, population, startJourneysContext, waitForRun } from './journeys-harness';

/** A model that answers the naming and expansion prompts with valid JSON. */
function reply(request: FakeChatRequest) {
  const related = ['Pantry Makeover', 'Garden Shed Build', 'Patio Refresh', 'Tile Backsplash', 'Home Office Setup'];
  return request.response_format?.json_schema?.name === 'related_journeys'
    ? { content: JSON.stringify({ related }) }
    : { content: JSON.stringify({ name: 'Weekend Kitchen Plans' }) };
}

describe('journey build metrics', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let server: FakeOpenAiServer;
  let app: INestApplicationContext;
  const { events, userIds } = population(12, 5);

  beforeAll(async () => {
    [mongo, redis, server] = await Promise.all([startTestMongo(), startTestRedis(), FakeOpenAiServer.start()]);
    server.onChat(reply);
    app = await startJourneysContext(
      journeySettings(mongo.uri, redis, 'build_metrics', {
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: server.baseUrl,
        OPENAI_MODEL: 'test-model',
        OPENAI_MAX_RETRIES: '0',
      }),
    );
    await ingest(app, events);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop(), server?.stop()]);
  }, 30_000);

  it('reports runs, users built, duration, the models and LLM usage, and they move after a run', async () => {
    const metrics = app.get(MetricsRegistry);
    const before = await metrics.render();
    expect(sample(before, 'journeycast_journey_build_runs{status="completed"}')).toBe(0);
    expect(sample(before, 'journeycast_journey_build_last_run_users{kind="full",result="built"}')).toBeUndefined();
    expect(sample(before, 'journeycast_journey_ranker_info{version="prior-1"}')).toBe(1);
    expect(before).not.toMatch(/^journeycast_journey_embedder_info\{/m);
    expect(total(before, 'journeycast_llm_calls_total', /outcome="ok"/)).toBe(0);

    const run = await waitForRun(app, (await app.get(JourneyRunsService).requestRun('full', 'manual')).runId);
    expect(run.status).toBe('completed');

    const after = await metrics.render();
    expect(sample(after, 'journeycast_journey_build_runs{status="completed"}')).toBe(1);
    expect(sample(after, 'journeycast_journey_build_last_run_users{kind="full",result="selected"}')).toBe(
      userIds.length,
    );
    expect(sample(after, 'journeycast_journey_build_last_run_users{kind="full",result="built"}')).toBe(
      run.counts.built,
    );
    expect(run.counts.built).toBeGreaterThan(0);
    expect(sample(after, 'journeycast_journey_build_last_run_users{kind="full",result="failed"}')).toBe(0);
    expect(sample(after, 'journeycast_journey_build_last_run_duration_seconds{kind="full"}')).toBeGreaterThan(0);
    expect(sample(after, 'journeycast_journey_build_last_run_completed_timestamp_seconds{kind="full"}')).toBe(
      run.finishedAt!.getTime() / 1000,
    );
    expect(sample(after, `journeycast_journey_embedder_info{version="${run.modelVersion}"}`)).toBe(1);
    expect(sample(after, 'journeycast_journey_embedder_age_seconds')).toBeGreaterThanOrEqual(0);

    // The fake model answers every chat call with 10 prompt and 5 completion tokens.
    const calls = total(after, 'journeycast_llm_calls_total', /outcome="ok"/);
    expect(calls).toBe(server.requests.length);
    expect(calls).toBeGreaterThan(0);
    expect(total(after, 'journeycast_llm_tokens_total', /kind="completion"/)).toBe(5 * calls);
    expect(total(after, 'journeycast_llm_tokens_total', /kind="prompt"/)).toBe(10 * calls);
  });
});
