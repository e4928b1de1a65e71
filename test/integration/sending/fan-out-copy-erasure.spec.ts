import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { CopyCacheRepository } from '../../../src/modules/personalization/copy-cache.repository';
import { FakeOpenAiServer } from '../../setup/openai-server';
import { seedUser } from '../campaigns/campaigns-harness';
import { db, DIGEST_CAMPAIGN, startDigestSending, waitForRun } from './sending-harness';

const LLM_DIGEST = { ...DIGEST_CAMPAIGN, copy: { variant: 'journey-llm', budget: { calls: 8 } } };
const GARDEN = { name: 'Garden Design', keywords: ['garden design', 'raised beds'] };

/** Copy the LLM wrote for a user erased while a run composed their message goes with what the run takes back. */
describe('erasing a user while a run writes their LLM copy', () => {
  let server: FakeOpenAiServer;
  let sending: Awaited<ReturnType<typeof startDigestSending>>;

  beforeAll(async () => {
    server = await FakeOpenAiServer.start();
    server.onChat(() => ({
      content: JSON.stringify({
        subject: 'Your garden design',
        preheader: 'Garden design ideas',
        intro: 'More garden design ideas are waiting for you.',
      }),
    }));
    sending = await startDigestSending(
      'fan_out_copy_erasure',
      [],
      {
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: server.baseUrl,
        OPENAI_MODEL: 'test-model',
        OPENAI_MAX_RETRIES: '0',
      },
      LLM_DIGEST,
    );
    await seedUser(sending.app, 'gardener', {
      now: new Date(),
      profile: { email: 'gardener@example.com' },
      journeys: [GARDEN],
    });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await sending?.stop();
    await server?.stop();
  });

  it('keeps no copy cache entry for the user', async () => {
    const app = sending.app;
    const cache = app.get(CopyCacheRepository);
    const store = cache.store.bind(cache);
    let erased = false;
    // The erasure runs, start to end, after the run read the user and before it stores the copy written for them.
    jest.spyOn(cache, 'store').mockImplementation(async (record) => {
      if (record.userId === 'gardener' && !erased) {
        erased = true;
        await app.get(UsersService).eraseUser('gardener');
      }
      return store(record);
    });
    const { runId } = await app.get(CampaignRunsService).startManual(LLM_DIGEST.id, 'test');
    await waitForRun(app, runId);
    expect(erased).toBe(true);
    expect(await db(app).collection('copy_cache').countDocuments({ userId: 'gardener' })).toBe(0);
  });
});
