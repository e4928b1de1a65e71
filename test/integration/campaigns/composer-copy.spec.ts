import { INestApplicationContext } from '@nestjs/common';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { LocalCopyBudget } from '../../../src/modules/personalization/domain/copy-budget';
import { expansionKey } from '../../../src/modules/journeys/domain/journey-expansion';
import { JourneyExpansionRepository } from '../../../src/modules/journeys/journey-expansion.repository';
import { RenderedEmail, RenderedPush } from '../../../src/modules/templates/template.types';
import { buildCampaign } from '../../factories/campaign.factory';
import { startTestMongo } from '../../setup/mongo';
import { FakeChatRequest, FakeOpenAiServer, FakeReply } from '../../setup/openai-server';
import { startTestRedis } from '../../setup/redis';
import {
  campaignsDir,
  composeDryRun,
  digestCampaign,
  journeyOf,
  llmEnv,
  seedUser,
  startCampaignsContext,
} from './campaigns-harness';

const NOW = new Date('2026-03-02T18:00:00Z');
const nudge = buildCampaign({ id: 'nudge', copy: { variant: 'journey-llm', tone: 'warm' } }, null);
// The same push copy, under a setting only an email's intro reads (a house style shared by both channels).
const houseStyle = buildCampaign(
  {
    id: 'house-style',
    copy: { variant: 'journey-llm', tone: 'warm', allowHtml: true },
  },
  null,
);
// Copy beside the journeys a person on it may also like, in an LLM's words or the template's.
const related = buildCampaign(
  { id: 'related', content: { includeRelated: true }, copy: { variant: 'journey-llm', tone: 'warm' } },
  null,
);
const relatedDigest = {
  ...digestCampaign('related-digest', {}),
  content: { topK: 1, includeRelated: true },
};
// Copy that may carry a link.
const linked = buildCampaign({ id: 'linked', copy: { variant: 'journey-llm', tone: 'warm', allowUrls: true } }, null);

/** Copy as a model writes it: in the locale it is asked for, naming the journey as the user wrote it. */
function model(request: FakeChatRequest): FakeReply {
  const journey = journeyOf(request);
  const french = request.messages[0].content.includes('locale "fr');
  const copy = french
    ? { title: `${journey} : on s'y remet ?`, body: `Votre projet ${journey} vous attend.` }
    : { title: `Your ${journey}`, body: `Fresh ${journey} ideas are waiting for you.` };
  return { content: JSON.stringify(copy) };
}

describe('LLM copy of the composer', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let server: FakeOpenAiServer;
  let app: INestApplicationContext;

  const budget = () => new LocalCopyBudget(100, 1_000_000);
  const callsFor = (journey: string) => server.requests.filter((r) => journeyOf(r) === journey).length;

  beforeAll(async () => {
    [mongo, redis, server] = await Promise.all([startTestMongo(), startTestRedis(), FakeOpenAiServer.start()]);
    server.onChat(model);
    const env = {
      CAMPAIGNS_DIR: campaignsDir([{ ...nudge }, { ...houseStyle }, { ...linked }, { ...related }, relatedDigest]),
      // A deployment whose push titles are shorter than copy's own default limit (50).
      PUSH_TITLE_MAX_CHARS: '40',
      ...llmEnv(server.baseUrl),
    };
    app = await startCampaignsContext(mongo.uri, redis, 'composer-copy', env);
    await app.get(CampaignsService).sync('test');
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop(), server?.stop()]);
  });

  it.each([
    ['an English name', 'Back to the Gym'],
    ['a name in another script', 'Подготовка к марафону'],
  ])('takes French copy naming a journey with %s as French', async (_, journey) => {
    const userId = `fr-${callsFor(journey)}-${journey.length}`;
    await seedUser(app, userId, { now: NOW, profile: { locale: 'fr-FR' }, journeys: [{ name: journey }] });
    const m = await composeDryRun(app, 'nudge', userId, NOW, budget());
    expect(m.copy).toEqual(expect.objectContaining({ source: 'llm' }));
    expect((m.rendered as RenderedPush).title).toBe(`${journey} : on s'y remet ?`);
  });

  it('still refuses copy in another language than the one asked for, around the journey name', async () => {
    server.onChat((request) => ({
      content: JSON.stringify({
        title: `Your ${journeyOf(request)}`,
        body: 'It is waiting for you, ready when you are.',
      }),
    }));
    await seedUser(app, 'fr-english', { now: NOW, profile: { locale: 'fr-FR' }, journeys: [{ name: 'Yoga Flow' }] });
    const m = await composeDryRun(app, 'nudge', 'fr-english', NOW, budget());
    expect(m.copy).toMatchObject({ source: 'template', fallbackReason: expect.stringContaining('wrong language') });
    server.onChat(model);
  });

  it('shares push copy between campaigns that differ only in a setting of email copy', async () => {
    await seedUser(app, 'climber-1', { now: NOW, journeys: [{ name: 'Rock Climbing' }] });
    await seedUser(app, 'climber-2', { now: NOW, journeys: [{ name: 'Rock Climbing' }] });
    const first = await composeDryRun(app, 'nudge', 'climber-1', NOW, budget());
    const shared = await composeDryRun(app, 'house-style', 'climber-2', NOW, budget());
    expect(first.copy).toMatchObject({ source: 'llm', cacheHit: false });
    expect(shared.copy).toMatchObject({ source: 'llm', cacheHit: true });
    expect(shared.rendered).toEqual(expect.objectContaining({ title: 'Your Rock Climbing' }));
    expect(callsFor('Rock Climbing')).toBe(1);
  });

  it("asks for push copy within the deployment's push limits, so it is never cut with an ellipsis", async () => {
    server.onChat((request) => ({
      content: JSON.stringify({
        title: `Your ${journeyOf(request)} adventure awaits you`,
        body: 'Ready when you are.',
      }),
    }));
    await seedUser(app, 'balloonist', { now: NOW, journeys: [{ name: 'Hot Air Ballooning' }] });
    const m = await composeDryRun(app, 'nudge', 'balloonist', NOW, budget());
    const [asked] = server.requests.filter((r) => journeyOf(r) === 'Hot Air Ballooning');
    expect(asked.messages[0].content).toContain('"title" at most 40 characters');
    expect(m.copy).toMatchObject({
      source: 'template',
      fallbackReason: expect.stringContaining('title: longer than 40'),
    });
    expect((m.rendered as RenderedPush).title).toBe('Still working on Hot Air Ballooning?');
    server.onChat(model);
  });

  it('asks for copy without URLs only where the campaign refuses them', async () => {
    server.onChat((request) => ({
      content: JSON.stringify({
        title: `Your ${journeyOf(request)}`,
        body: request.messages[0].content.includes('no URLs')
          ? 'Fresh ideas are waiting for you.'
          : `Fresh ${journeyOf(request)} routes at www.example.com`,
      }),
    }));
    await seedUser(app, 'paddler-1', { now: NOW, journeys: [{ name: 'Sea Kayaking' }] });
    await seedUser(app, 'paddler-2', { now: NOW, journeys: [{ name: 'Sea Kayaking' }] });
    const plain = await composeDryRun(app, 'nudge', 'paddler-1', NOW, budget());
    const withLink = await composeDryRun(app, 'linked', 'paddler-2', NOW, budget());
    const [refusing, allowing] = server.requests.filter((r) => journeyOf(r) === 'Sea Kayaking');
    expect(refusing.messages[0].content).toContain('no URLs');
    expect(allowing.messages[0].content).not.toMatch(/\bno URLs\b/);
    expect(plain.copy).toMatchObject({ source: 'llm' });
    expect(withLink.copy).toMatchObject({ source: 'llm' });
    expect((withLink.rendered as RenderedPush).body).toBe('Fresh Sea Kayaking routes at www.example.com');
    server.onChat(model);
  });

  describe('related journeys', () => {
    const GERMAN = ['Sauerteig Ansetzen', 'Brotbackautomat Kaufen', 'Dinkelbrot Backen'];
    const ENGLISH = ['Sourdough Starter', 'Pizza Dough', 'Cinnamon Rolls'];
    const relatedOf = (request: FakeChatRequest) =>
      /<related>\n([\s\S]*)\n<\/related>/
        .exec(request.messages[1].content)![1]
        .split('\n')
        .map((line) => JSON.parse(line) as string);

    beforeAll(async () => {
      const expansions = app.get(JourneyExpansionRepository);
      for (const [locale, names] of [
        ['de-DE', GERMAN],
        ['en', ENGLISH],
      ] as const) {
        await expansions.insertOnce({
          key: expansionKey('Bread Making', locale),
          name: 'Bread Making',
          locale,
          related: [...names],
          source: 'llm',
          model: 'test-model',
          promptVersion: 'expansion-v1',
          createdAt: NOW,
        });
      }
      await seedUser(app, 'bäcker', { now: NOW, profile: { locale: 'de-DE' }, journeys: [{ name: 'Bread Making' }] });
    });

    it('gives the LLM the related journeys in the language the copy is written in, not the reader locale', async () => {
      const m = await composeDryRun(app, 'related', 'bäcker', NOW, budget());
      const [asked] = server.requests.filter((r) => journeyOf(r) === 'Bread Making');
      // The push template has English and French text only: the copy is English, and so are its related journeys.
      expect(asked.messages[0].content).toContain('Write in the language of locale "en"');
      expect(relatedOf(asked)).toEqual(ENGLISH);
      expect(m.context.subject.related).toEqual(ENGLISH);
    });

    it("shows the related journeys in the template's language", async () => {
      const m = await composeDryRun(app, 'related-digest', 'bäcker', NOW, budget());
      const email = m.rendered as RenderedEmail;
      expect(email.text).toContain('You may also like Sourdough Starter, Pizza Dough, and Cinnamon Rolls.');
      expect(email.text).not.toContain('Sauerteig');
    });
  });
});
