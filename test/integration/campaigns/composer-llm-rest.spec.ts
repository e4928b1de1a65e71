import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { LlmClient } from '../../../src/modules/llm/llm.client';
import { LocalCopyBudget } from '../../../src/modules/personalization/domain/copy-budget';
import { buildCampaign } from '../../factories/campaign.factory';
import { llmClock, TestLlmClockModule } from '../../setup/llm-clock';
import { startTestMongo } from '../../setup/mongo';
import { FakeOpenAiServer, FakeReply } from '../../setup/openai-server';
import { startTestRedis } from '../../setup/redis';
import {
  campaignsDir,
  namingCall,
  restingLlmEnv,
  composeDryRun,
  seedUser,
  startCampaignsContext,
} from './campaigns-harness';

const NOW = new Date('2026-03-02T18:00:00Z');
const nudge = buildCampaign({ id: 'nudge', copy: { variant: 'journey-llm', tone: 'warm' } }, null);
const overloaded: FakeReply = { status: 503, body: '{"error":{"message":"overloaded"}}' };

describe('LLM copy while the model rests after failures of other callers', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let server: FakeOpenAiServer;
  let app: INestApplicationContext;

  const copyCalls = () => server.requests.filter((r) => r.response_format?.json_schema?.name !== 'journey_name');

  beforeAll(async () => {
    [mongo, redis, server] = await Promise.all([startTestMongo(), startTestRedis(), FakeOpenAiServer.start()]);
    app = await startCampaignsContext(
      mongo.uri,
      redis,
      'composer-llm-rest',
      {
        CAMPAIGNS_DIR: campaignsDir([{ ...nudge }]),
        ...restingLlmEnv(server.baseUrl),
      },
      [TestLlmClockModule],
    );
    await app.get(CampaignsService).sync('test');
    await seedUser(app, 'cook-1', { now: NOW, journeys: [{ name: 'Bread Baking' }] });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop(), server?.stop()]);
  });

  it('gives template copy without a call and without spending the run budget while the model rests', async () => {
    server.onChat(() => overloaded);
    // Journey naming meets the failing model twice: the model rests for every caller.
    for (let i = 0; i < 2; i++) await expect(app.get(LlmClient).complete(namingCall)).rejects.toThrow(/overloaded/);

    const budget = new LocalCopyBudget(100, 1_000_000);
    const m = await composeDryRun(app, 'nudge', 'cook-1', NOW, budget);
    expect(m.copy).toMatchObject({
      source: 'template',
      fallbackReason: 'LLM call failed: calls to test-model rest after 2 failures in a row',
    });
    expect(m.rendered).toMatchObject({ title: 'Still working on Bread Baking?' });
    expect(copyCalls()).toHaveLength(0);
    expect(await budget.spent()).toEqual({ calls: 0, tokens: 0 });
  });

  it('asks for the same copy again once the rest is over', async () => {
    server.onChat(() => ({
      content: JSON.stringify({ title: 'Your Bread Baking', body: 'More Bread Baking ideas.' }),
    }));
    llmClock.ms += 60_000;
    const m = await composeDryRun(app, 'nudge', 'cook-1', NOW, new LocalCopyBudget(100, 1_000_000));
    expect(m.copy).toMatchObject({ source: 'llm' });
    expect(copyCalls()).toHaveLength(1);
  });

  it('gives template copy without asking again for as long as the endpoint asked, beyond the rest of failures', async () => {
    server.onChat(() => ({
      status: 429,
      body: '{"error":{"message":"rate limited"}}',
      headers: { 'retry-after': '300' },
    }));
    await seedUser(app, 'cook-2', { now: NOW, journeys: [{ name: 'Cake Decorating' }] });
    await seedUser(app, 'cook-3', { now: NOW, journeys: [{ name: 'Pasta Making' }] });
    const before = copyCalls().length;
    const budget = new LocalCopyBudget(100, 1_000_000);
    const first = await composeDryRun(app, 'nudge', 'cook-2', NOW, budget);
    expect(first.copy).toMatchObject({ source: 'template', fallbackReason: expect.stringMatching(/rate limited/) });
    const second = await composeDryRun(app, 'nudge', 'cook-3', NOW, budget);
    expect(second.copy).toMatchObject({
      source: 'template',
      fallbackReason: expect.stringMatching(/test-model asked for no calls for 300 s/),
    });
    // Past the rest of OPENAI_REST_MS, still within the one asked for.
    llmClock.ms += 120_000;
    await composeDryRun(app, 'nudge', 'cook-3', NOW, budget);
    expect(copyCalls()).toHaveLength(before + 1);
    expect(await budget.spent()).toEqual({ calls: 1, tokens: 0 });
  });
});
