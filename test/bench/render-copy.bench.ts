/**
 * `npm run bench -- render-copy`: composes a `journey-llm` push campaign for BENCH_RECIPIENTS (default
 * 10k) users who share journeys, through the real composer, copy cache and openai SDK against a local
 * OpenAI-compatible server. Reports LLM calls per 10k recipients against the number of distinct
 * (journey signature × variant × locale), the floor the cache can reach, and compose throughput.
 */
import { RedisProcess } from '../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../src/embedded-mongo';
import { CampaignMessageComposer } from '../../src/modules/campaigns/campaign-message-composer.service';
import { CampaignsService } from '../../src/modules/campaigns/campaigns.service';
import { seededRandom } from '../../src/modules/ranking/domain/testing/journeys.fixture';
import { campaignsDir, seedUser, startCampaignsContext } from '../integration/campaigns/campaigns-harness';
import { startTestMongo } from '../setup/mongo';
import { FakeChatRequest, FakeOpenAiServer } from '../setup/openai-server';
import { startTestRedis } from '../setup/redis';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const JOURNEYS = 300;
const CONCURRENCY = 32;
const NOW = new Date();

const campaign = {
  id: 'bench-nudge',
  name: 'Bench nudge',
  owner: 'bench',
  channel: 'push',
  schedule: { type: 'local-hour', hour: 18 },
  template: 'push/journey-nudge',
  copy: { variant: 'journey-llm', budget: { calls: 100_000 } },
};

function reply(request: FakeChatRequest) {
  const name = JSON.parse(/<journey>\n(.*)\n<\/journey>/.exec(request.messages[1].content)![1]) as string;
  const french = request.messages[0].content.includes('"fr-FR"');
  const copy = french
    ? { title: `Votre projet ${name}`, body: `Des idées pour ${name} vous attendent, reprenez là où vous en étiez.` }
    : { title: `Your ${name}`, body: `Fresh ideas for your ${name} are waiting for you.` };
  return { content: JSON.stringify(copy), promptTokens: 180, completionTokens: 40 };
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

export async function run(): Promise<void> {
  const [mongo, redis, server]: [EmbeddedMongo, RedisProcess, FakeOpenAiServer] = await Promise.all([
    startTestMongo(),
    startTestRedis(),
    FakeOpenAiServer.start(),
  ]);
  server.onChat(reply);
  const app = await startCampaignsContext(mongo.uri, redis, 'bench_copy', {
    CAMPAIGNS_DIR: campaignsDir([campaign]),
    OPENAI_API_KEY: 'bench',
    OPENAI_BASE_URL: server.baseUrl,
    OPENAI_MODEL: 'bench-model',
    OPENAI_CONCURRENCY: '16',
  });
  try {
    await app.get(CampaignsService).sync('bench');
    const random = seededRandom(11);
    // Popular journeys are shared by many users (a Zipf-like draw), as real interests are.
    const names = Array.from({ length: JOURNEYS }, (_, i) => `Journey Topic ${i}`);
    const users = Array.from({ length: RECIPIENTS }, (_, i) => ({
      userId: `r${i}`,
      locale: random() < 0.7 ? 'en-US' : 'fr-FR',
      journey: names[Math.floor(JOURNEYS * random() ** 3)],
    }));
    let started = performance.now();
    await pool(users, 16, (u) =>
      seedUser(app, u.userId, { now: NOW, profile: { locale: u.locale }, journeys: [{ name: u.journey }] }),
    );
    console.log(`${RECIPIENTS} recipients seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const definition = await app.get(CampaignsService).getUsable(campaign.id);
    const composer = app.get(CampaignMessageComposer);
    const budget = composer.budgetFor(definition.definition);
    const keys = new Set<string>();
    const sources: Record<string, number> = {};
    started = performance.now();
    await pool(users, CONCURRENCY, async (u) => {
      const result = await composer.compose(definition, u.userId, { now: NOW, budget, dryRun: true });
      if (result.status !== 'message') throw new Error(`${u.userId} skipped: ${result.skip.message}`);
      const { copy, variant, context } = result.message;
      keys.add(`${copy.signature}|${variant.copy}|${context.user.locale}`);
      sources[copy.source] = (sources[copy.source] ?? 0) + 1;
    });
    const seconds = (performance.now() - started) / 1000;
    const calls = server.requests.length;
    const spent = await budget.spent();
    console.log(
      `composed ${RECIPIENTS} pushes in ${seconds.toFixed(1)} s (${(RECIPIENTS / seconds).toFixed(0)} messages/s end to end, MongoDB reads and ranking included); copy sources ${JSON.stringify(sources)}`,
    );
    console.log(
      `LLM calls: ${calls} for ${RECIPIENTS} recipients = ${((calls / RECIPIENTS) * 10_000).toFixed(0)} per 10k recipients; distinct signature x variant x locale: ${keys.size} (calls / distinct = ${(calls / keys.size).toFixed(2)}); tokens ${spent.tokens}`,
    );
  } finally {
    await app.close();
    await Promise.all([mongo.stop(), redis.stop(), server.stop()]);
  }
}
