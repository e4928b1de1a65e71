import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvents } from '../factories/event.factory';
import { journeycast } from './support/cli';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

// Each run starts a fresh Node process that compiles the CLI with ts-node: a few seconds.
jest.setTimeout(60_000);

describe('journeycast CLI: keys create, events import', () => {
  let servers: TestServers;
  let t: TestApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    servers = await startTestServers();
    t = await createTestApp(servers, { database: 'cli' });
    env = { MONGODB_URI: `${servers.mongoUri}cli` };
  });
  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  });

  it('creates an admin key the API accepts', async () => {
    const { code, stdout, stderr } = await journeycast(['keys', 'create', '--scope', 'admin', '--name', 'ops'], env);
    expect(stderr).toContain('Created admin key');
    expect(code).toBe(0);
    const token = stdout.trim();
    const res = await t.http().get('/v1/keys').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body.map((k: { name: string }) => k.name)).toContain('ops');
  });

  it('rejects an unknown scope', async () => {
    const { code, stderr } = await journeycast(['keys', 'create', '--scope', 'root'], env);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/Allowed choices are ingest, admin/);
  });

  it('imports a JSONL file, reports rejected lines and exits 2; a re-import counts duplicates', async () => {
    const events = buildEvents(50, { userId: 'cli-user' });
    const lines = events.map((e) => JSON.stringify(e));
    lines.splice(2, 0, JSON.stringify({ ...events[0], id: 'bad-1', type: 'like' }));
    const file = join(mkdtempSync(join(tmpdir(), 'jc-cli-')), 'events.jsonl');
    writeFileSync(file, lines.join('\n'));

    const first = await journeycast(['events', 'import', file], env);
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('51 lines, 50 accepted, 0 duplicates, 1 rejected');
    expect(first.stdout).toContain('line 3: type: type must be one of');
    expect(await t.db().collection('events').countDocuments({ userId: 'cli-user' })).toBe(50);

    const again = await journeycast(['events', 'import', file], env);
    expect(again.stdout).toContain('0 accepted, 50 duplicates, 1 rejected');
    expect(await t.db().collection('events').countDocuments({ userId: 'cli-user' })).toBe(50);
  });
});
