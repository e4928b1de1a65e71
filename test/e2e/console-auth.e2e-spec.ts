import { AddressInfo } from 'node:net';
import { signSessionToken } from '../../src/modules/console/domain/session-token';
import { checkPage, signIn, useConsoleBrowser } from './support/console-browser';
import { createTestApp, useTestApp } from './support/test-app';

const SESSION_KEY = { kid: 'k1', secret: 'console-test-session-key-not-a-secret-0001' };

/** The value of one cookie in a response's Set-Cookie headers, with its attributes. */
function setCookie(headers: Record<string, unknown>, name: string): string | undefined {
  const list = (headers['set-cookie'] as string[] | undefined) ?? [];
  return list.find((c) => c.startsWith(`${name}=`));
}

describe('web console sign-in', () => {
  const f = useTestApp({
    database: 'console_auth',
    env: { CONSOLE_SESSION_KEYS: `${SESSION_KEY.kid}:${SESSION_KEY.secret}`, CONSOLE_SESSION_TTL_MINUTES: '30' },
  });
  const browser = useConsoleBrowser();
  let base: string;

  beforeAll(async () => {
    await f.t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(f.t.app.getHttpServer().address() as AddressInfo).port}`;
  });

  /** Signs in over HTTP: fetches the form (its nonce cookie and token), then posts the key. */
  async function signInOverHttp(apiKey: string, next = '/console/campaigns') {
    const form = await f.t.http().get('/console/sign-in');
    const nonce = setCookie(form.headers, 'jc_console_sign_in')!.split(';')[0];
    const token = /name="_form" value="([^"]+)"/.exec(form.text)![1];
    return f.t.http().post('/console/sign-in').set('Cookie', nonce).type('form').send({ _form: token, apiKey, next });
  }

  it('redirects a request without a session to sign-in, remembering where it was going', async () => {
    const res = await f.t.http().get('/console/campaigns?after=x');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console/sign-in?next=%2Fconsole%2Fcampaigns%3Fafter%3Dx');
  });

  it('sends a form posted without a live session back to the page of that form after sign-in', async () => {
    for (const [action, page] of [
      ['/console/campaigns/ongoing-journey-push/pause', '/console/campaigns/ongoing-journey-push'],
      ['/console/runs/some-run/cancel', '/console/runs/some-run'],
      ['/console/sign-out', '/console'],
    ]) {
      const res = await f.t.http().post(action).type('form').send({ _csrf: 'from-an-old-page' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/console/sign-in?next=${encodeURIComponent(page)}`);
    }
  });

  it('exchanges an admin key for an HttpOnly, SameSite=Strict, expiring session cookie', async () => {
    const res = await signInOverHttp(f.admin);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console/campaigns');
    const cookie = setCookie(res.headers, 'jc_console')!;
    expect(cookie).toMatch(/^jc_console=s1\.k1\.[A-Za-z0-9_-]+\.\d+\.[A-Za-z0-9_-]+; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/console');
    expect(cookie).toContain(`Max-Age=${30 * 60}`);
    expect(cookie).not.toContain('Secure');
    const home = await f.t.http().get('/console').set('Cookie', cookie.split(';')[0]);
    expect(home.status).toBe(200);
    expect(home.headers['content-security-policy']).toContain("default-src 'none'");
    expect(home.headers['x-frame-options']).toBe('DENY');
  });

  it('ends a session on every replica with the next page once its key is revoked', async () => {
    const other = await createTestApp(f.servers, {
      database: 'console_auth',
      env: { CONSOLE_SESSION_KEYS: `${SESSION_KEY.kid}:${SESSION_KEY.secret}` },
    });
    try {
      const key = await f.t.createKey('admin');
      const cookie = setCookie((await signInOverHttp(key)).headers, 'jc_console')!.split(';')[0];
      for (const app of [f.t, other]) await app.http().get('/console').set('Cookie', cookie).expect(200);
      await other
        .http()
        .delete(`/v1/keys/${key.split('_')[1]}`)
        .set('Authorization', `Bearer ${f.admin}`)
        .expect(204);
      for (const app of [f.t, other]) {
        const res = await app.http().get('/console').set('Cookie', cookie);
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe('/console/sign-in?next=%2Fconsole');
        expect(setCookie(res.headers, 'jc_console')).toMatch(/^jc_console=;/);
      }
      const again = await signInOverHttp(key);
      expect(again.status).toBe(401);
      expect(again.text).not.toContain(key.slice(16));
    } finally {
      await f.t
        .db()
        .collection('console_sessions')
        .deleteMany({ keyId: { $ne: f.admin.split('_')[1] } });
      await other.close();
    }
  });

  it('marks the cookie Secure behind an https proxy', async () => {
    const form = await f.t.http().get('/console/sign-in').set('X-Forwarded-Proto', 'https');
    expect(setCookie(form.headers, 'jc_console_sign_in')).toContain('Secure');
  });

  it('refuses an ingest key, a made-up key and a form without its sign-in token, storing no session', async () => {
    for (const key of [f.ingest, 'jc_aaaaaaaaaaaa_' + 'A'.repeat(43), 'not a key']) {
      const res = await signInOverHttp(key);
      expect(res.status).toBe(401);
      expect(res.text).toContain('That is not an active admin API key.');
      expect(setCookie(res.headers, 'jc_console')).toBeUndefined();
    }
    const forged = await f.t.http().post('/console/sign-in').type('form').send({ _form: 'x', apiKey: f.admin });
    expect(forged.status).toBe(403);
    expect(setCookie(forged.headers, 'jc_console')).toBeUndefined();
    expect(
      await f.t
        .db()
        .collection('console_sessions')
        .countDocuments({ keyId: { $ne: f.admin.split('_')[1] } }),
    ).toBe(0);
  });

  it('refuses a form token of non-ASCII characters as out of date, like any other wrong token', async () => {
    const form = await f.t.http().get('/console/sign-in');
    const nonce = setCookie(form.headers, 'jc_console_sign_in')!.split(';')[0];
    const token = /name="_form" value="([^"]+)"/.exec(form.text)![1];
    const forged = await f.t
      .http()
      .post('/console/sign-in')
      .set('Cookie', nonce)
      .type('form')
      .send({ _form: 'é'.repeat(token.length), apiKey: f.admin });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('The sign-in form expired');
    expect(setCookie(forged.headers, 'jc_console')).toBeUndefined();
  });

  it('sends a return path with characters a Location header cannot carry to the console home', async () => {
    const res = await signInOverHttp(f.admin, '/console/journeys?user=日本');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console');
    const cookie = setCookie(res.headers, 'jc_console')!.split(';')[0];
    const again = await f.t
      .http()
      .get(`/console/sign-in?next=${encodeURIComponent('/console/journeys?user=日本')}`)
      .set('Cookie', cookie);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/console');
  });

  it('refuses forged, tampered and expired session cookies and deletes them', async () => {
    const valid = setCookie((await signInOverHttp(f.admin)).headers, 'jc_console')!
      .split(';')[0]
      .slice('jc_console='.length);
    const [, kid, sessionId, seconds] = valid.split('.');
    const tampered = `s1.${kid}.${sessionId}.${Number(seconds) + 3600}.${valid.split('.')[4]}`;
    const otherKey = signSessionToken(
      { sessionId, expiresAt: new Date(Number(seconds) * 1000) },
      { kid: 'k1', secret: 'an-attacker-guessed-this-secret-0000000000' },
    );
    const expired = signSessionToken({ sessionId, expiresAt: new Date(Date.now() - 1000) }, SESSION_KEY);
    const unknownSession = signSessionToken(
      { sessionId: 'A'.repeat(32), expiresAt: new Date(Date.now() + 60_000) },
      SESSION_KEY,
    );
    for (const cookie of [tampered, otherKey, expired, unknownSession, 'garbage']) {
      const res = await f.t.http().get('/console').set('Cookie', `jc_console=${cookie}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/console/sign-in?next=%2Fconsole');
      expect(setCookie(res.headers, 'jc_console')).toMatch(/^jc_console=; .*Max-Age=0/);
    }
    expect((await f.t.http().get('/console').set('Cookie', `jc_console=${valid}`)).status).toBe(200);
  });

  it('ends the session on sign-out, which needs the form token and a same-origin request', async () => {
    const cookie = setCookie((await signInOverHttp(f.admin)).headers, 'jc_console')!.split(';')[0];
    const home = await f.t.http().get('/console').set('Cookie', cookie);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1];
    const post = () => f.t.http().post('/console/sign-out').set('Cookie', cookie).type('form');
    expect((await post().send({ _csrf: 'wrong' })).status).toBe(403);
    expect((await post().set('Origin', 'https://evil.example').send({ _csrf: csrf })).status).toBe(403);
    expect((await post().set('Sec-Fetch-Site', 'cross-site').send({ _csrf: csrf })).status).toBe(403);
    const out = await post().send({ _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/console/sign-in');
    expect((await f.t.http().get('/console').set('Cookie', cookie)).status).toBe(303);
  });

  it('signs in and out in Chromium, with no serious accessibility violation on the way', async () => {
    const page = await (await browser.context()).newPage();
    await page.goto(`${base}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await checkPage(page, 'sign-in');
    await page.getByLabel('Admin API key').fill(f.ingest);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not an active admin API key');
    // The refused sign-in answers 401, which Chromium logs as a failed load.
    browser.errors.splice(0);
    await signIn(page, base, f.admin);
    expect(new URL(page.url()).pathname).toBe('/console');
    await checkPage(page, 'home');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'jc_console')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/console\/sign-in$/);
    await page.goto(`${base}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(browser.errors).toEqual([]);
  });
});
