import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvents } from '../factories/event.factory';
import { journeycast } from './support/cli';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

// Each run starts a fresh Node process that loads the whole CLI (seconds alone, much more on shared cores;
// the sources through ts-node when the compiled copy of test/setup/global-build.ts is missing), and some tests run two.
jest.setTimeout(180_000);

describe('journeycast CLI: keys create, list, revoke; events import', () => {
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

  describe('keys list and revoke', () => {
    let token: string;
    let keyId: string;
    /** One event sent with the key, answered with `status`. */
    const postEvent = (status: number) =>
      t
        .http()
        .post('/v1/events')
        .set('Authorization', `Bearer ${token}`)
        .send({ events: buildEvents(1) })
        .expect(status);

    it('creates a key with an expiry and lists it with its status, expiry and last use', async () => {
      const created = await journeycast(
        ['keys', 'create', '--scope', 'ingest', '--name', 'temp', '--expires-in', '30d'],
        env,
      );
      expect(created.code).toBe(0);
      expect(created.stderr).toMatch(/expires \d{4}-/);
      token = created.stdout.trim();
      keyId = token.split('_')[1];
      await postEvent(200);

      const table = await journeycast(['keys', 'list'], env);
      expect(table.code).toBe(0);
      expect(table.stdout.split('\n')[0]).toMatch(/^KEY ID\s+NAME\s+SCOPES\s+STATUS\s+CREATED\s+EXPIRES\s+LAST USED$/);
      expect(table.stdout).toMatch(
        new RegExp(`${keyId}\\s+temp\\s+ingest\\s+active\\s+\\S+\\s+\\d{4}-\\S+\\s+\\d{4}-`),
      );
    });

    it('refuses a whole key in place of its id without printing it, and revokes nothing', async () => {
      const pasted = await journeycast(['keys', 'revoke', token], env);
      expect(pasted).toMatchObject({ code: 1, stdout: '' });
      expect(pasted.stderr).toContain('keyId must be the 12 lower-case letters and digits after jc_ in a key');
      expect(pasted.stderr).not.toContain(token.split('_')[2]);
      // Still active: the API takes it.
      await postEvent(200);
    });

    it('revokes it: the API refuses it and the JSON listing shows it revoked, without the secret', async () => {
      const revoked = await journeycast(['keys', 'revoke', keyId], env);
      expect(revoked.code).toBe(0);
      await postEvent(401);
      const json = await journeycast(['keys', 'list', '--json'], env);
      const row = json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((k) => k.keyId === keyId);
      expect(row).toMatchObject({
        name: 'temp',
        status: 'revoked',
        expiresAt: expect.any(String),
        lastUsedAt: expect.any(String),
      });
      expect(json.stdout).not.toContain(token);
    });

    it('refuses to revoke it twice, and refuses an expiry in the past', async () => {
      const again = await journeycast(['keys', 'revoke', keyId], env);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain(`no active API key ${keyId}`);
      const past = await journeycast(
        ['keys', 'create', '--scope', 'ingest', '--expires-at', '2020-01-01T00:00:00Z'],
        env,
      );
      expect(past.code).not.toBe(0);
      expect(past.stderr).toContain('--expires-at: expiresAt must be in the future');
    });
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
    lines.splice(10, 0, '', '   ');
    const file = join(mkdtempSync(join(tmpdir(), 'jc-cli-')), 'events.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);

    const first = await journeycast(['events', 'import', file], env);
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('53 lines, 50 accepted, 0 duplicates, 1 rejected, 2 blank (skipped)');
    expect(first.stdout).toContain('line 3: type: type must be one of');
    expect(await t.db().collection('events').countDocuments({ userId: 'cli-user' })).toBe(50);

    const again = await journeycast(['events', 'import', file], env);
    expect(again.stdout).toContain('0 accepted, 50 duplicates, 1 rejected');
    expect(await t.db().collection('events').countDocuments({ userId: 'cli-user' })).toBe(50);
  });

  it('says in one sentence that a file to read or write is missing, with no errno code or stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jc-cli-'));
    const missing = join(dir, 'missing.jsonl');
    const imported = await journeycast(['events', 'import', missing], env);
    expect(imported).toMatchObject({ code: 1, stdout: '' });
    expect(imported.stderr).toBe(`Cannot read ${missing}: no such file or directory.\n`);

    const events = join(dir, 'events.jsonl');
    writeFileSync(events, `${JSON.stringify(buildEvents(1)[0])}\n`);
    const out = join(dir, 'no-such-dir', 'journeys.jsonl');
    const built = await journeycast(
      ['journeys', 'build', '--events', events, '--now', new Date().toISOString(), '--out', out],
      {},
    );
    expect(built.code).toBe(1);
    expect(built.stderr).toBe(
      `Cannot write ${out} (--out): the directory ${join(dir, 'no-such-dir')} does not exist.\n`,
    );
  });

  it('refuses an output option that names a directory before reading the input, naming the option', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jc-cli-'));
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, `${JSON.stringify(buildEvents(1)[0])}\n`);
    const now = new Date().toISOString();
    const built = await journeycast(['journeys', 'build', '--events', events, '--now', now, '--out', dir], {});
    expect(built).toMatchObject({ code: 1, stdout: '' });
    expect(built.stderr).toBe(`Cannot write ${dir} (--out): it is a directory, not a file.\n`);

    const out = join(dir, 'journeys.jsonl');
    const saved = await journeycast(
      ['journeys', 'build', '--events', events, '--now', now, '--out', out, '--save-model', dir],
      {},
    );
    expect(saved).toMatchObject({ code: 1, stdout: '' });
    expect(saved.stderr).toBe(`Cannot write ${dir} (--save-model): it is a directory, not a file.\n`);
    expect(existsSync(out)).toBe(false);
  });

  // A campaign, run, experiment, key or build run that does not exist exits 1, as a missing file does.
  it.each([
    [['runs', 'show', 'nope'], 'run nope not found'],
    [['runs', 'pause', 'nope'], 'run nope not found'],
    [['runs', 'resume', 'nope'], 'run nope not found'],
    [['runs', 'cancel', 'nope'], 'run nope not found'],
    [['runs', 'explain', 'nope', 'cli-user'], 'run nope not found'],
    [['runs', 'list', '--campaign', 'nope'], 'campaign nope not found'],
    [['campaigns', 'activate', 'nope'], 'campaign nope not found'],
    [['campaigns', 'pause', 'nope'], 'campaign nope not found'],
    [['campaigns', 'run', 'nope'], 'campaign nope not found'],
    [['campaigns', 'preview', 'nope', '--user', 'cli-user'], 'campaign nope not found'],
    [['campaigns', 'estimate', 'nope'], 'campaign nope not found'],
    [['experiments', 'report', 'nope.v1'], 'no experiment "nope.v1"'],
    [['keys', 'revoke', '000000000000'], 'no active API key 000000000000'],
    [['journeys', 'judge', '--export-sample', '3', '--run', 'nope'], 'journey build run nope not found'],
  ])('%j exits 1 saying what was not found', async (args, message) => {
    const result = await journeycast(args, { ...env, REDIS_URL: servers.redis.url, REDIS_PREFIX: 'cli' });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain(message);
  });

  it('refuses a --now without a time zone in one sentence and exits 1, as the HTTP API refuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jc-cli-'));
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, `${JSON.stringify(buildEvents(1)[0])}\n`);
    const out = join(dir, 'journeys.jsonl');
    const built = await journeycast(
      ['journeys', 'build', '--events', events, '--now', '2026-03-01T12:00', '--out', out],
      {},
    );
    expect(built).toMatchObject({ code: 1, stdout: '' });
    expect(built.stderr).toBe('--now must be an ISO-8601 instant with a time zone, such as 2026-03-01T12:00:00Z.\n');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a reports folder that is a file before opening the database, naming --dir', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jc-cli-')), 'reports');
    writeFileSync(file, 'not a folder\n');
    const written = await journeycast(['experiments', 'write-reports', '--dir', file], {});
    expect(written).toMatchObject({ code: 1, stdout: '' });
    expect(written.stderr).toBe(`Cannot write into ${file} (--dir): it is not a directory.\n`);
  });
  it('imports a suppression list, refusing the whole file for a bad line, then shows and lifts an address', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jc-suppressions-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'address,reason\nann@example.com,hard-bounce\nnot an address\n');
    const refused = await journeycast(['suppressions', 'import', bad], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${bad}: 1 bad lines; nothing was imported`);
    expect(refused.stderr).toContain('line 3: address must be an email address');
    expect(await t.db().collection('suppressions').countDocuments()).toBe(0);

    const good = join(dir, 'list.csv');
    writeFileSync(good, 'ann@example.com,hard-bounce\n\nBob@Example.com\nann@example.com,complaint\n');
    const imported = await journeycast(['suppressions', 'import', good], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`${good}: 3 addresses, 2 added, 1 already listed, 1 blank (skipped)`);
    const shown = await journeycast(['suppressions', 'show', 'bob@example.com'], env);
    expect(shown.stdout).toMatch(/^bob@example\.com: manual since \d{4}-/);

    expect((await journeycast(['suppressions', 'remove', 'BOB@example.com'], env)).code).toBe(0);
    const gone = await journeycast(['suppressions', 'show', 'bob@example.com'], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('bob@example.com is not on the suppression list');
  });
});
