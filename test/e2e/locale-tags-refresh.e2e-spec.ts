import { createConnection } from 'mongoose';
import { LocaleTagsRefresh } from '../../src/modules/audience/locale-tags-refresh';
import { createTestApp, startTestServers, TestApp, TestServers } from './support/test-app';

const DATABASE = 'locale_tags_refresh';

describe('locale tags stored under an earlier rule', () => {
  let servers: TestServers;
  let t: TestApp | undefined;

  beforeAll(async () => {
    servers = await startTestServers();
  });
  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  });

  it('are brought up to the current rule when a worker starts', async () => {
    const connection = await createConnection(`${servers.mongoUri}${DATABASE}`).asPromise();
    try {
      await connection
        .collection('audience_facts')
        .insertOne({ userId: 'zh-reader', locale: 'zh-TW', localeTags: ['zh-tw', 'zh'], sampleKey: 0.5 });
    } finally {
      await connection.close();
    }
    t = await createTestApp(servers, { database: DATABASE });
    expect(await t.app.get(LocaleTagsRefresh).running).toBe(1);
    const stored = await t.db().collection('audience_facts').findOne({ userId: 'zh-reader' });
    expect(stored?.localeTags).toEqual(['zh-tw', 'zh-hant-tw', 'zh-hant', 'zh']);
  });
});
