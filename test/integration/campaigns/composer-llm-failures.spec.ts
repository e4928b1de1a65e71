import { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { ComposedMessage } from '../../../src/modules/campaigns/domain/compose-result';
import { LocalCopyBudget } from '../../../src/modules/personalization/domain/copy-budget';
import { buildCampaign } from '../../factories/campaign.factory';
import { startTestMongo } from '../../setup/mongo';
import { FakeChatRequest, FakeOpenAiServer, FakeReply, refusalReply } from '../../setup/openai-server';
import { startTestRedis } from '../../setup/redis';
import { campaignsDir, composeDryRun, journeyOf, seedUser, startCampaignsContext } from './campaigns-harness';

const NOW = new Date('2026-03-02T18:00:00Z');

const nudge = buildCampaign({ id: 'nudge', copy: { variant: 'journey-llm', tone: 'warm' } }, null);

/** A model that refuses one journey, is overloaded for others, and writes good copy for the rest. */
function model(request: FakeChatRequest): FakeReply {
  const journey = journeyOf(request);
  if (journey === 'Knife Sharpening') return refusalReply("I'm sorry, I can't help with that.");
  if (journey === 'Long Distance Running') {
    // Cut off at the completion token limit the request set, mid-string.
    const cut = { role: 'assistant', content: '{"title":"Your Long Distance Running","body":"More long dis' };
    return {
      status: 200,
      body: JSON.stringify({
        id: 'chatcmpl-l',
        object: 'chat.completion',
        created: 0,
        model: 'test-model',
        choices: [{ index: 0, finish_reason: 'length', message: cut }],
        usage: { prompt_tokens: 10, completion_tokens: 140, total_tokens: 150 },
      }),
    };
  }
  if (journey.startsWith('Busy')) return { status: 503, body: '{"error":{"message":"overloaded"}}' };
  return { content: JSON.stringify({ title: `Your ${journey}`, body: `More ${journey} ideas are waiting.` }) };
}

describe('LLM copy when the model fails or refuses', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let server: FakeOpenAiServer;
  let app: INestApplicationContext;

  const compose = (userId: string, budget: LocalCopyBudget): Promise<ComposedMessage> =>
    composeDryRun(app, 'nudge', userId, NOW, budget);
  const callsFor = (prefix: string) => server.requests.filter((r) => journeyOf(r).startsWith(prefix)).length;

  beforeAll(async () => {
    [mongo, redis, server] = await Promise.all([startTestMongo(), startTestRedis(), FakeOpenAiServer.start()]);
    server.onChat(model);
    app = await startCampaignsContext(mongo.uri, redis, 'composer-llm-failures', {
      CAMPAIGNS_DIR: campaignsDir([{ ...nudge }]),
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: server.baseUrl,
      OPENAI_MODEL: 'test-model',
      OPENAI_MAX_RETRIES: '0',
    });
    await app.get(CampaignsService).sync('test');
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop(), server?.stop()]);
  });

  it('remembers a refusal like a rejected reply: template copy, and no new call for the next user', async () => {
    const budget = new LocalCopyBudget(100, 1_000_000);
    for (const userId of ['cook-1', 'cook-2']) {
      await seedUser(app, userId, { now: NOW, journeys: [{ name: 'Knife Sharpening' }] });
      const m = await compose(userId, budget);
      expect(m.copy).toMatchObject({
        source: 'template',
        fallbackReason: "LLM copy rejected: the model refused: I'm sorry, I can't help with that.",
      });
    }
    expect(callsFor('Knife Sharpening')).toBe(1);
    // The refusal was an answer the endpoint charged for: its tokens count against the run's budget.
    expect(await budget.spent()).toEqual({ calls: 1, tokens: 15 });
  });

  it('says a reply cut off at the token limit was cut off, rather than not JSON', async () => {
    await seedUser(app, 'runner-1', { now: NOW, journeys: [{ name: 'Long Distance Running' }] });
    const m = await compose('runner-1', new LocalCopyBudget(100, 1_000_000));
    // The limit the request carried, which the model stopped at.
    const [asked] = server.requests.filter((r) => journeyOf(r) === 'Long Distance Running');
    const limit = (asked as FakeChatRequest & { max_completion_tokens: number }).max_completion_tokens;
    expect(m.copy).toMatchObject({
      source: 'template',
      fallbackReason: `LLM copy rejected: reply cut off at its limit of ${limit} tokens`,
    });
  });

  it('checks cached copy again when it is read: copy stored before a check refused it falls back to template copy', async () => {
    const budget = new LocalCopyBudget(100, 1_000_000);
    await seedUser(app, 'baker-1', { now: NOW, journeys: [{ name: 'Sourdough Baking' }] });
    const first = await compose('baker-1', budget);
    expect(first.copy).toMatchObject({ source: 'llm', cacheHit: false });
    // As if written by a release whose validation let a refusal through.
    const stored = await app
      .get<Connection>(getConnectionToken())
      .collection('copy_cache')
      .updateOne(
        { signature: first.copy.signature },
        { $set: { 'copy.body': "I'm sorry, I can't write about Sourdough Baking." } },
      );
    expect(stored.modifiedCount).toBe(1);
    await seedUser(app, 'baker-2', { now: NOW, journeys: [{ name: 'Sourdough Baking' }] });
    const second = await compose('baker-2', budget);
    expect(second.copy).toMatchObject({
      source: 'template',
      fallbackReason: 'LLM copy rejected: reads like a refusal',
    });
    expect(second.rendered).toMatchObject({ title: 'Still working on Sourdough Baking?' });
    expect(callsFor('Sourdough Baking')).toBe(1);
  });

  it('does not ask an endpoint that keeps failing once per user: users after the failures get template copy without a call', async () => {
    const budget = new LocalCopyBudget(100, 1_000_000);
    const journeys = ['Busy Baking', 'Busy Baking', 'Busy Birding', 'Busy Boating', 'Busy Biking', 'Busy Bowling'];
    for (const [i, name] of journeys.entries()) {
      await seedUser(app, `busy-${i}`, { now: NOW, journeys: [{ name }] });
      const m = await compose(`busy-${i}`, budget);
      expect(m.copy).toMatchObject({ source: 'template', fallbackReason: expect.stringMatching(/^LLM call failed/) });
      expect(m.rendered).toMatchObject({ title: `Still working on ${name}?` });
    }
    // The second user of Busy Baking does not ask again, and the endpoint gets a rest after three failures in a row.
    expect(callsFor('Busy')).toBe(3);
  });
});
