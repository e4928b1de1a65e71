import { Logger } from '@nestjs/common';
import { mongo } from 'mongoose';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config';
import { probeRedis } from '../redis/redis-probe';
import { startRedisProcess } from '../redis/redis-process';
import { provisionServers } from './provision';

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

  it('listens on MONGO_EMBEDDED_PORT, where CLI commands find a running app', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
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

describe(probeRedis.name, () => {
  it('answers true for a live redis-server and false for a closed port', async () => {
    const redis = await startRedisProcess();
    expect(await probeRedis('127.0.0.1', redis.port)).toBe(true);
    await redis.stop();
    expect(await probeRedis('127.0.0.1', redis.port)).toBe(false);
  });
});
