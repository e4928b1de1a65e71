import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './parsers';
import { CONFIG_DIR, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('reads the defaults from config/default.json', () => {
    const settings = loadConfig({});
    expect(settings.app).toMatchObject({ role: 'all', port: 3000, env: 'development', logFormat: 'text' });
    expect(settings.mongo.uri).toBeUndefined();
    expect(settings.redis).toMatchObject({ url: undefined, prefix: 'jc', autostart: true });
    expect(settings.mongo).toMatchObject({ dataDir: './data/mongo', embeddedPort: 27027, autoIndex: true });
  });

  it('lets the environment override files', () => {
    const settings = loadConfig({ APP_ROLE: 'worker', PORT: '8080', MONGODB_URI: 'mongodb://db:27017/jc' });
    expect(settings.app.role).toBe('worker');
    expect(settings.app.port).toBe(8080);
    expect(settings.mongo.uri).toBe('mongodb://db:27017/jc');
  });

  it('rests an LLM model that keeps failing as before unless configured: three failures in a row, a minute', () => {
    expect(loadConfig({}).llm).toMatchObject({ restAfterFailures: 3, restMs: 60_000 });
    expect(loadConfig({ OPENAI_REST_AFTER_FAILURES: '5', OPENAI_REST_MS: '120000' }).llm).toMatchObject({
      restAfterFailures: 5,
      restMs: 120_000,
    });
  });

  it('layers config/<NODE_ENV>.json over the defaults', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).app).toMatchObject({ port: 0, host: '127.0.0.1', logLevel: 'warn' });
  });

  it.each([
    ['APP_ROLE', 'web', /APP_ROLE must be one of api, worker, scheduler, all/],
    ['PORT', '70000', /PORT must be an integer between 0 and 65535/],
    ['PORT', 'eighty', /PORT must be an integer/],
    ['MONGODB_URI', 'http://db', /MONGODB_URI must be a URL starting with mongodb:/],
    ['REDIS_URL', 'not a url', /REDIS_URL must be a URL/],
    ['MONGO_AUTO_INDEX', 'yes', /MONGO_AUTO_INDEX must be true or false/],
    ['RATE_LIMIT_REQUESTS', '0', /RATE_LIMIT_REQUESTS must be an integer/],
    ['LOG_FORMAT', 'xml', /LOG_FORMAT must be one of text, json/],
    ['OPENAI_REST_AFTER_FAILURES', '0', /OPENAI_REST_AFTER_FAILURES must be an integer between 1 and 1000/],
    ['OPENAI_REST_MS', 'a minute', /OPENAI_REST_MS must be an integer between 1000 and 3600000/],
  ])('rejects %s=%s naming the variable', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });

  it('never echoes a connection string that may hold a password', () => {
    expect(() => loadConfig({ MONGODB_URI: 'postgres://user:secret@db' })).toThrow(/got "postgres:"/);
  });

  it('requires explicit servers in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MONGODB_URI is required when NODE_ENV=production/);
    const servers = { NODE_ENV: 'production', MONGODB_URI: 'mongodb://db/jc', REDIS_URL: 'redis://r:6379' };
    expect(() => loadConfig(servers)).toThrow(/TRACKING_SIGNING_KEYS is required when NODE_ENV=production/);
    const keyed = { ...servers, TRACKING_SIGNING_KEYS: `k1:${'s'.repeat(32)}` };
    expect(() => loadConfig(keyed)).toThrow(/PUBLIC_BASE_URL must be an https URL when NODE_ENV=production/);
    const settings = loadConfig({ ...keyed, PUBLIC_BASE_URL: 'https://links.example.com/jc/' });
    expect(settings.app.logFormat).toBe('json');
    expect(settings.tracking.publicBaseUrl).toBe('https://links.example.com/jc');
  });

  it('refuses a PUBLIC_BASE_URL with credentials, a query or a fragment', () => {
    for (const value of [
      'https://u:p@x.example',
      'https://x.example/?a=1',
      'https://x.example/#top',
      'ftp://x.example',
    ]) {
      expect(() => loadConfig({ PUBLIC_BASE_URL: value })).toThrow(/PUBLIC_BASE_URL/);
    }
  });

  it('reads the delivery defaults: outbox everywhere, SMTP once SMTP_URL is set', () => {
    const settings = loadConfig({});
    expect(settings.delivery).toMatchObject({
      emailChannel: undefined,
      pushChannel: 'outbox',
      webhookChannel: 'outbox',
      outboxDir: './data/outbox',
      smtpPoolSize: 5,
    });
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).delivery.smtpUrl).toBe('smtp://127.0.0.1:2525');
  });

  it.each([
    [{ DELIVERY_EMAIL_CHANNEL: 'smtp' }, /SMTP_URL is required when DELIVERY_EMAIL_CHANNEL=smtp/],
    [
      { APNS_KEY_FILE: 'key.p8', APNS_KEY_ID: 'ABC' },
      /APNS_KEY_FILE, APNS_KEY_ID, APNS_TEAM_ID, APNS_BUNDLE_ID must be set together/,
    ],
    [{ VAPID_PUBLIC_KEY: 'x' }, /VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT must be set together/],
    [{ DELIVERY_WEBHOOK_CHANNEL: 'http' }, /WEBHOOK_SIGNING_SECRET is required/],
    [{ DELIVERY_PUSH_CHANNEL: 'providers' }, /needs FCM_SERVICE_ACCOUNT_FILE, APNS_KEY_FILE or VAPID_PUBLIC_KEY/],
    [{ SMTP_URL: 'http://mail' }, /SMTP_URL must be a URL starting with smtp: or smtps:/],
    [{ EMAIL_FROM_ADDRESS: 'not an address' }, /EMAIL_FROM_ADDRESS must be an email address/],
    [{ DELIVERY_RATE_FCM: '-1' }, /DELIVERY_RATE_FCM must be a number between 0/],
    [{ TRACKING_SIGNING_KEYS: 'k1:short-secret' }, /TRACKING_SIGNING_KEYS key "k1" needs a secret of at least 32/],
  ])('refuses delivery and tracking settings that do not go together: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    ['https://shop.example.com', '"https://shop.example.com"'],
    ['shop.example.com,', '""'],
    ['*', '"*"'],
    ['*.com', '"*.com"'],
    ['shop.*.example.com', '"shop.*.example.com"'],
    ['shop.example.com:443', '"shop.example.com:443"'],
  ])('refuses TRACKING_LINK_HOSTS=%j, naming the setting and the entry', (value, entry) => {
    expect(() => loadConfig({ TRACKING_LINK_HOSTS: value })).toThrow(
      `Invalid configuration: TRACKING_LINK_HOSTS has ${entry}, which is not a host name or *. and a domain`,
    );
  });

  it('reads TRACKING_LINK_HOSTS as lower-case names and wildcards, internationalized names in punycode', () => {
    const settings = loadConfig({ TRACKING_LINK_HOSTS: ' Shop.Example.com , *.example.org,bücher.example' });
    expect(settings.tracking.linkHosts).toEqual(['shop.example.com', '*.example.org', 'xn--bcher-kva.example']);
    expect(loadConfig({}).tracking.linkHosts).toBeUndefined();
  });

  it('names the file key when a file value is bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jc-config-'));
    const defaults = JSON.parse(readFileSync(join(CONFIG_DIR, 'default.json'), 'utf8')) as { app: object };
    writeFileSync(join(dir, 'default.json'), JSON.stringify({ ...defaults, app: { ...defaults.app, role: 'x' } }));
    expect(() => loadConfig({}, dir)).toThrow(/APP_ROLE \(config app.role\) must be one of/);
  });
});
