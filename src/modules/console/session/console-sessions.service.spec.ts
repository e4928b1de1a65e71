import { ConfigService } from '@nestjs/config';
import { Settings } from '../../../config/settings';
import { AccessService } from '../../access/access.service';
import { ApiKey } from '../../access/domain/api-key';
import { ConsoleSessionRecord } from './console-session.schema';
import { ConsoleSessionRepository } from './console-session.repository';
import { ConsoleSessionsService } from './console-sessions.service';

const ADMIN_TOKEN = `jc_${'a'.repeat(12)}_${'A'.repeat(43)}`;
const INGEST_TOKEN = `jc_${'b'.repeat(12)}_${'B'.repeat(43)}`;

/** Keys and sessions in memory: the service's own logic is what is under test here. */
function build(env: 'production' | 'development', sessionKeys?: Array<{ kid: string; secret: string }>) {
  const keys = new Map<string, ApiKey>([
    [ADMIN_TOKEN, { keyId: 'a'.repeat(12), name: 'ops', scopes: ['admin'], createdAt: new Date(0) }],
    [INGEST_TOKEN, { keyId: 'b'.repeat(12), name: 'backend', scopes: ['ingest'], createdAt: new Date(0) }],
  ]);
  const revoked = new Set<string>();
  const access = {
    authenticate: async (token: string) => keys.get(token),
    findActiveKey: async (keyId: string) =>
      revoked.has(keyId) ? undefined : [...keys.values()].find((k) => k.keyId === keyId),
  } as unknown as AccessService;
  const stored = new Map<string, ConsoleSessionRecord>();
  const sessions = {
    create: async (s: ConsoleSessionRecord) => void stored.set(s.sessionId, s),
    findLive: async (id: string, now: Date) => {
      const s = stored.get(id);
      return s && s.expiresAt > now ? s : undefined;
    },
    delete: async (id: string) => void stored.delete(id),
  } as unknown as ConsoleSessionRepository;
  const settings = { app: { env }, console: { sessionKeys, sessionTtlMinutes: 60, secureCookie: 'auto' } };
  const config = { get: (name: keyof typeof settings) => settings[name] } as unknown as ConfigService<Settings, true>;
  return { service: new ConsoleSessionsService(config, access, sessions), revoked, stored };
}

describe(ConsoleSessionsService.name, () => {
  const now = new Date('2026-03-01T10:00:00Z');

  it('keeps sign-in off in production until CONSOLE_SESSION_KEYS is set', async () => {
    const { service } = build('production');
    expect(service.enabled).toBe(false);
    expect(service.signInForm()).toBeUndefined();
    expect(await service.signIn(ADMIN_TOKEN, now)).toBeUndefined();
    expect(build('production', [{ kid: 'k1', secret: 's'.repeat(32) }]).service.enabled).toBe(true);
  });

  it('signs in admin keys only, and resolves the cookie until expiry, sign-out or key revocation', async () => {
    const { service, revoked } = build('development');
    expect(await service.signIn(INGEST_TOKEN, now)).toBeUndefined();
    expect(await service.signIn(' not-a-key ', now)).toBeUndefined();
    const signed = (await service.signIn(` ${ADMIN_TOKEN}\n`, now))!;
    expect(signed.expiresAt).toEqual(new Date('2026-03-01T11:00:00Z'));
    const session = await service.resolve(signed.cookie, now);
    expect(session).toMatchObject({ keyId: 'a'.repeat(12), keyName: 'ops', csrf: expect.any(String) });
    expect(await service.resolve(signed.cookie, new Date('2026-03-01T11:00:00Z'))).toEqual({ refused: 'expired' });
    revoked.add('a'.repeat(12));
    expect(await service.resolve(signed.cookie, now)).toEqual({ refused: 'key-revoked' });
    revoked.clear();
    await service.signOut(session as Exclude<typeof session, { refused: unknown }>);
    expect(await service.resolve(signed.cookie, now)).toEqual({ refused: 'signed-out' });
  });

  it('accepts a sign-in form only with the token made for its nonce', () => {
    const { service } = build('development');
    const form = service.signInForm()!;
    expect(service.checkSignInForm(form.nonce, form.token)).toBe(true);
    expect(service.checkSignInForm(service.signInForm()!.nonce, form.token)).toBe(false);
    expect(service.checkSignInForm(undefined, form.token)).toBe(false);
  });
});
