import { Logger } from '@nestjs/common';
import { mongo } from 'mongoose';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config';
import { freePort } from '../../lib/net/free-port';
import { ConfigError } from '../../config/parsers';
import { EmbeddedMongo } from '../../embedded-mongo';
import { probeRedis } from '../redis/redis-probe';
import { startRedisProcess } from '../redis/redis-process';
import { holderUri } from './embedded-mongo-holder';
import { ENDPOINTS_FILE, readEndpoints } from './endpoints-file';
import { provisionServers } from './provision';

/** The pid of a process that has exited (its lock or endpoints file is stale). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
}

const quiet = new Logger('test');
jest.spyOn(quiet, 'log').mockImplementation(() => undefined);

describe(provisionServers.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'jc-provision-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps explicit servers and starts nothing', async () => {
    const settings = loadConfig({
      NODE_ENV: 'test',
      MONGODB_URI: 'mongodb://db.internal:27017/jc',
      REDIS_URL: 'redis://cache:6379',
    });
    const servers = await provisionServers(settings, { logger: quiet });
    expect(servers.settings.mongo.uri).toBe('mongodb://db.internal:27017/jc');
    expect(servers.settings.redis.url).toBe('redis://cache:6379');
    await servers.stop();
  });

  it('starts the embedded server on the data directory and a Redis that answers', async () => {
    const settings = loadConfig({ NODE_ENV: 'test', MONGO_DATA_DIR: join(dir, 'a'), REDIS_AUTOSTART: 'true' });
    const servers = await provisionServers(settings, { logger: quiet });
    try {
      const client = await mongo.MongoClient.connect(servers.settings.mongo.uri!);
      await client.db('jc').collection('probe').insertOne({ ok: 1 });
      expect(await client.db('jc').collection('probe').countDocuments()).toBe(1);
      await client.close();
      const { hostname, port } = new URL(servers.settings.redis.url!);
      expect(await probeRedis(hostname, Number(port))).toBe(true);
    } finally {
      await servers.stop();
    }
  });

  it('listens on MONGO_EMBEDDED_PORT when it owns the data directory', async () => {
    const port = await freePort();
    const env = {
      NODE_ENV: 'test',
      MONGO_DATA_DIR: join(dir, 'b'),
      MONGO_EMBEDDED_PORT: String(port),
      REDIS_URL: 'redis://x:1',
    };
    const owner = await provisionServers(loadConfig(env), { logger: quiet, redis: false });
    try {
      expect(owner.settings.mongo.uri).toBe(`mongodb://127.0.0.1:${port}/`);
    } finally {
      await owner.stop();
    }
  });
});

describe('provisioning on a data directory another server holds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jc-holder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("connects to the holder's server, never to another server on its own MONGO_EMBEDDED_PORT", async () => {
    const shared = join(dir, 'shared');
    const owner = await provisionServers(loadConfig({ NODE_ENV: 'test', MONGO_DATA_DIR: shared }), {
      logger: quiet,
      redis: false,
    });
    const decoy = await EmbeddedMongo.start();
    try {
      const second = await provisionServers(
        loadConfig({ NODE_ENV: 'test', MONGO_DATA_DIR: shared, MONGO_EMBEDDED_PORT: String(decoy.port) }),
        { logger: quiet, redis: false },
      );
      expect(second.settings.mongo.uri).toBe(owner.settings.mongo.uri);
      expect(readEndpoints(shared)).toMatchObject({ pid: process.pid, mongo: owner.settings.mongo.uri });
      await second.stop();
    } finally {
      await decoy.stop();
      await owner.stop();
    }
    expect(readEndpoints(shared)).toBeNull();
  });

  it('refuses a holder that is alive but does not answer, and takes over the lock of a dead one', async () => {
    const hung = join(dir, 'hung');
    mkdirSync(hung);
    const lock = { pid: process.pid, host: '127.0.0.1', port: await freePort() };
    writeFileSync(join(hung, 'embedded-mongo.lock'), JSON.stringify(lock));
    await expect(holderUri(hung, lock, 300)).rejects.toThrow(ConfigError);
    await expect(holderUri(hung, lock, 300)).rejects.toThrow(
      /is held by process \d+, whose embedded server does not answer/,
    );
    const stale = join(dir, 'stale');
    mkdirSync(stale);
    writeFileSync(join(stale, 'embedded-mongo.lock'), JSON.stringify({ pid: deadPid(), port: lock.port }));
    const servers = await provisionServers(loadConfig({ NODE_ENV: 'test', MONGO_DATA_DIR: stale }), {
      logger: quiet,
      redis: false,
    });
    expect(servers.settings.mongo.uri).not.toContain(String(lock.port));
    await servers.stop();
  });

  it('uses the private Redis a running app published, and ignores a file its crashed owner left', async () => {
    const published = join(dir, 'published');
    const env = { NODE_ENV: 'test', MONGO_DATA_DIR: published, REDIS_AUTOSTART: 'true' };
    const app = await provisionServers(loadConfig(env), { logger: quiet });
    try {
      const viaFile = await provisionServers(loadConfig({ ...env, REDIS_AUTOSTART: 'false' }), {
        logger: quiet,
        redis: 'running',
      });
      expect(viaFile.settings.redis.url).toBe(app.settings.redis.url);
      await viaFile.stop();
    } finally {
      await app.stop();
    }
    if (await probeRedis('127.0.0.1', 6379)) return; // with a Redis on 6379 nothing private was published
    const crashed = join(dir, 'crashed');
    mkdirSync(crashed);
    writeFileSync(join(crashed, ENDPOINTS_FILE), JSON.stringify({ pid: deadPid(), redis: app.settings.redis.url }));
    await expect(
      provisionServers(loadConfig({ ...env, MONGO_DATA_DIR: crashed }), { logger: quiet, redis: 'running' }),
    ).rejects.toThrow(/No Redis/);
  });
});

describe(probeRedis.name, () => {
  it('answers true for a live redis-server and false for a closed port', async () => {
    const redis = await startRedisProcess();
    expect(await probeRedis('127.0.0.1', redis.port)).toBe(true);
    await redis.stop();
    expect(await probeRedis('127.0.0.1', redis.port)).toBe(false);
  });
});
