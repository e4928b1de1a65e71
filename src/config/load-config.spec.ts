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
  ])('rejects %s=%s naming the variable', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });

  it('never echoes a connection string that may hold a password', () => {
    expect(() => loadConfig({ MONGODB_URI: 'postgres://user:secret@db' })).toThrow(/got "postgres:"/);
  });

  it('requires explicit servers in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MONGODB_URI is required when NODE_ENV=production/);
    const settings = loadConfig({
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://db/jc',
      REDIS_URL: 'redis://r:6379',
    });
    expect(settings.app.logFormat).toBe('json');
  });

  it('names the file key when a file value is bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jc-config-'));
    const defaults = JSON.parse(readFileSync(join(CONFIG_DIR, 'default.json'), 'utf8')) as { app: object };
    writeFileSync(join(dir, 'default.json'), JSON.stringify({ ...defaults, app: { ...defaults.app, role: 'x' } }));
    expect(() => loadConfig({}, dir)).toThrow(/APP_ROLE \(config app.role\) must be one of/);
  });
});
