import { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { RunCopyBudget } from '../../../src/modules/campaigns/runs/run-copy-budget';
import { LlmClient } from '../../../src/modules/llm/llm.client';
import { LlmCopyService } from '../../../src/modules/personalization/llm-copy.service';
import { CopyBudget, LocalCopyBudget } from '../../../src/modules/personalization/domain/copy-budget';
import { CopyRequest, DEFAULT_COPY_LIMITS } from '../../../src/modules/personalization/domain/copy-types';
import { llmClock, TestLlmClockModule } from '../../setup/llm-clock';
import { startTestMongo } from '../../setup/mongo';
import { FakeChatRequest, FakeOpenAiServer } from '../../setup/openai-server';
import { startTestRedis } from '../../setup/redis';
import { campaignsDir, namingCall, restingLlmEnv, startCampaignsContext } from './campaigns-harness';

const journeyOf = (request: FakeChatRequest) =>
  JSON.parse(/<journey>\n(.*)\n<\/journey>/.exec(request.messages[1].content)![1]) as string;

const copyFor = (name: string): CopyRequest => ({
  channel: 'push',
  subject: { name, keywords: [name.toLowerCase()], stage: 'ongoing', type: 'situational', related: [] },
  locale: 'en',
  tone: 'warm',
  limits: DEFAULT_COPY_LIMITS,
  allowUrls: false,
  allowHtml: false,
  blockedTerms: [],
  promptVersion: 'budget-test',
});

describe('LLM copy spends each run its own budget', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let server: FakeOpenAiServer;
  let app: INestApplicationContext;
  let sut: LlmCopyService;

  const copyCalls = (name: string) =>
    server.requests.filter((r) => r.response_format?.json_schema?.name !== 'journey_name' && journeyOf(r) === name);

  beforeAll(async () => {
    [mongo, redis, server] = await Promise.all([startTestMongo(), startTestRedis(), FakeOpenAiServer.start()]);
    app = await startCampaignsContext(
      mongo.uri,
      redis,
      'copy-budget-per-run',
      {
        CAMPAIGNS_DIR: campaignsDir([]),
        ...restingLlmEnv(server.baseUrl),
      },
      [TestLlmClockModule],
    );
    sut = app.get(LlmCopyService);
  });

  beforeEach(() => {
    server.onChat((request) => {
      const journey = journeyOf(request);
      return { content: JSON.stringify({ title: `Your ${journey}`, body: `More ${journey} ideas are waiting.` }) };
    });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop(), server?.stop()]);
  });

  it("writes the copy on a run's own budget when it asked while a run whose budget is spent was asking", async () => {
    const spent = new LocalCopyBudget(0, 1_000_000);
    const own = new LocalCopyBudget(10, 1_000_000);
    // The second run asks while the first one's request is in flight.
    const [first, second] = await Promise.all([
      sut.generate(copyFor('Bread Baking'), spent, 'cook-1'),
      sut.generate(copyFor('Bread Baking'), own, 'cook-2'),
    ]);
    expect(first).toMatchObject({ source: 'template', fallbackReason: 'LLM budget of this run is spent' });
    expect(second).toMatchObject({ source: 'llm', copy: { title: 'Your Bread Baking' } });
    expect(copyCalls('Bread Baking')).toHaveLength(1);
    expect(await own.spent()).toEqual({ calls: 1, tokens: 15 });
    expect(await spent.spent()).toEqual({ calls: 0, tokens: 0 });
  });

  it('shares one call between runs asking at once, spent from the budget of the run that made it', async () => {
    const [a, b] = [new LocalCopyBudget(10, 1_000_000), new LocalCopyBudget(10, 1_000_000)];
    const [first, second] = await Promise.all([
      sut.generate(copyFor('Trail Running'), a, 'runner-1'),
      sut.generate(copyFor('Trail Running'), b, 'runner-2'),
    ]);
    expect(first).toMatchObject({ source: 'llm', cacheHit: false });
    expect(second).toMatchObject({ source: 'llm', cacheHit: true });
    expect(copyCalls('Trail Running')).toHaveLength(1);
    expect(await a.spent()).toEqual({ calls: 1, tokens: 15 });
    expect(await b.spent()).toEqual({ calls: 0, tokens: 0 });
  });

  it('gives back the call it reserved when the model starts resting before the call is made', async () => {
    const local = new LocalCopyBudget(10, 1_000_000);
    // Other callers fail twice while the budget is asked (a round trip to Redis for a run's budget).
    const racing: CopyBudget = {
      tryStartCall: async () => {
        server.onChat(() => ({ status: 503, body: '{"error":{"message":"overloaded"}}' }));
        const llm = app.get(LlmClient);
        for (let i = 0; i < 2; i++) await expect(llm.complete(namingCall)).rejects.toThrow(/overloaded/);
        return local.tryStartCall();
      },
      releaseCall: () => local.releaseCall(),
      recordTokens: (tokens) => local.recordTokens(tokens),
      spent: () => local.spent(),
    };
    try {
      const outcome = await sut.generate(copyFor('Knife Sharpening'), racing, 'chef-1');
      expect(outcome).toMatchObject({
        source: 'template',
        fallbackReason: 'LLM call failed: calls to test-model rest after 2 failures in a row',
      });
      expect(copyCalls('Knife Sharpening')).toHaveLength(0);
      expect(await local.spent()).toEqual({ calls: 0, tokens: 0 });
    } finally {
      llmClock.ms += 60_000;
    }
  });

  it("gives back a call reserved on a run's budget shared by every worker", async () => {
    const client = new Redis(redis.url);
    try {
      const shared = new RunCopyBudget(client, 'jc:test:copy-budget:run-1', { calls: 1, tokens: 1_000 });
      expect(await shared.tryStartCall()).toBe(true);
      expect(await shared.tryStartCall()).toBe(false);
      await shared.releaseCall();
      expect(await shared.spent()).toEqual({ calls: 0, tokens: 0 });
      expect(await shared.tryStartCall()).toBe(true);
    } finally {
      client.disconnect();
    }
  });
});
