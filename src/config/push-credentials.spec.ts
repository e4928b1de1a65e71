import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';
import { ConfigError } from './parsers';
import { readPushCredentials } from './push-credentials';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
const pkcs8 = (key: typeof rsa) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const jwk = p256.export({ format: 'jwk' });
const vapidPublicKey = Buffer.concat([
  Buffer.from([4]),
  Buffer.from(jwk.x!, 'base64url'),
  Buffer.from(jwk.y!, 'base64url'),
]).toString('base64url');

const serviceAccount = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'service_account',
    project_id: 'demo-app',
    client_email: 'journeycast@demo-app.iam.gserviceaccount.com',
    private_key: pkcs8(rsa),
    ...fields,
  });

describe('readPushCredentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jc-push-keys-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const apns = { APNS_KEY_ID: 'ABC123DEFG', APNS_TEAM_ID: 'TEAM123456', APNS_BUNDLE_ID: 'com.example.app' };
  const vapid = {
    VAPID_PUBLIC_KEY: vapidPublicKey,
    VAPID_PRIVATE_KEY: jwk.d!,
    VAPID_SUBJECT: 'mailto:ops@example.com',
  };
  const read = (env: Record<string, string>) =>
    readPushCredentials(loadConfig({ DELIVERY_PUSH_CHANNEL: 'providers', ...env }).delivery);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the service account, the APNs key and the VAPID keys', () => {
    const keys = read({
      FCM_SERVICE_ACCOUNT_FILE: file('fcm.json', serviceAccount()),
      APNS_KEY_FILE: file('AuthKey.p8', pkcs8(p256)),
      ...apns,
      ...vapid,
    });
    expect(keys.fcm).toMatchObject({ projectId: 'demo-app', tokenUri: 'https://oauth2.googleapis.com/token' });
    expect(keys.apnsKey).toBe(pkcs8(p256));
    expect(keys.vapid).toEqual({ publicKey: vapidPublicKey, privateKey: jwk.d, subject: 'mailto:ops@example.com' });
  });

  it('reads no key file while push goes to the outbox', () => {
    const missing = join(dir, 'missing.json');
    const settings = loadConfig({ DELIVERY_PUSH_CHANNEL: 'outbox', FCM_SERVICE_ACCOUNT_FILE: missing });
    expect(readPushCredentials(settings.delivery)).toEqual({});
  });

  it.each([
    ['a missing file', () => join(dir, 'missing.json'), 'cannot be read: no such file or directory'],
    ['a directory', () => dir, 'cannot be read: it is a directory, not a file'],
    ['a file that is not JSON', () => file('text.json', `not json ${pkcs8(rsa)}`), 'is not a JSON file'],
    [
      'JSON that is not a service account',
      () => file('other.json', JSON.stringify({ type: 'authorized_user', client_email: 'x@example.com' })),
      'is not a service-account key (type "service_account" with project_id, private_key)',
    ],
    [
      'a service account with a broken key',
      () =>
        file(
          'broken.json',
          serviceAccount({ private_key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }),
        ),
      'does not hold a PKCS#8 RS256 private key',
    ],
    [
      'a service account with an EC key',
      () => file('ec.json', serviceAccount({ private_key: pkcs8(p256) })),
      'does not hold a PKCS#8 RS256 private key',
    ],
  ])('refuses %s as FCM_SERVICE_ACCOUNT_FILE in one line naming the variable and the path', (_, path, reason) => {
    const at = path();
    const refusal = () => read({ FCM_SERVICE_ACCOUNT_FILE: at });
    expect(refusal).toThrow(ConfigError);
    expect(refusal).toThrow(`Invalid configuration: FCM_SERVICE_ACCOUNT_FILE ${at} ${reason}`);
  });

  it.each([
    ['a missing file', () => join(dir, 'missing.p8'), 'cannot be read: no such file or directory'],
    ['an RSA key', () => file('rsa.p8', pkcs8(rsa)), 'does not hold a PKCS#8 ES256 private key'],
    [
      'a P-256 key that is not PKCS#8',
      () => file('sec1.p8', p256.export({ type: 'sec1', format: 'pem' }).toString()),
      'does not hold a PKCS#8 ES256 private key',
    ],
  ])('refuses %s as APNS_KEY_FILE in one line naming the variable and the path', (_, path, reason) => {
    const at = path();
    const refusal = () => read({ APNS_KEY_FILE: at, ...apns });
    expect(refusal).toThrow(ConfigError);
    expect(refusal).toThrow(`Invalid configuration: APNS_KEY_FILE ${at} ${reason}`);
  });

  it.each([
    [{ VAPID_PUBLIC_KEY: 'short' }, 'VAPID_PUBLIC_KEY must be a base64url P-256 public key (65 bytes, uncompressed)'],
    [{ VAPID_PUBLIC_KEY: `${vapidPublicKey}=` }, 'VAPID_PUBLIC_KEY must be a base64url P-256 public key'],
    [{ VAPID_PRIVATE_KEY: vapidPublicKey }, 'VAPID_PRIVATE_KEY must be a base64url P-256 private key (32 bytes)'],
  ])('refuses unusable VAPID keys naming the variable: %j', (env, message) => {
    const refusal = () => read({ ...vapid, ...env });
    expect(refusal).toThrow(ConfigError);
    expect(refusal).toThrow(`Invalid configuration: ${message}`);
  });

  it('never quotes the key, and says it on one line', () => {
    const path = file('quoted.json', `{"private_key": "${'k'.repeat(40)}`);
    let message = '';
    try {
      read({ FCM_SERVICE_ACCOUNT_FILE: path });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(`Invalid configuration: FCM_SERVICE_ACCOUNT_FILE ${path} is not a JSON file`);
  });
});
