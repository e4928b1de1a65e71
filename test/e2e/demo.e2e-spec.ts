import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisProcess } from '../../src/common/redis/redis-process';
import { startTestRedis } from '../setup/redis';

const ROOT = join(__dirname, '..', '..');
// A whole product run in a child process: ingest, journey build, campaigns, sends, tracking, reports.
jest.setTimeout(15 * 60_000);

function runDemo(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/demo/demo.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('npm run demo (src/demo/demo.ts as a child process, small size)', () => {
  let redis: RedisProcess;
  let dir: string;

  beforeAll(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'journeycast-demo-'));
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the product end to end on the embedded defaults with the development LLM, and exits 0', async () => {
    const data = join(dir, 'run');
    const { code, output } = await runDemo(['--users', '60', '--seed', '3', '--data', data], {
      REDIS_URL: redis.url,
      LOG_LEVEL: 'error',
    });
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain('the development LLM at http://127.0.0.1:');
    expect(output).toMatch(/users built in \d+ shards/);
    expect(output).toMatch(/demo-journey-push: activated; \d+ users in its audience/);
    // Both arms composed for one user; the journey arm's copy came from the LLM.
    expect(output).toMatch(/demo-journey-push \[interest\] user-\d+ about "[^"]+" \(template\)/);
    expect(output).toMatch(/demo-journey-push \[journey-llm\] user-\d+ about "[^"]+" \(llm\)/);
    expect(existsSync(join(data, 'campaigns', 'demo-journey-push.yaml'))).toBe(true);
    const summary = JSON.parse(/\nSummary\n([\s\S]*?\n\})\n/.exec(output)?.[1] ?? '{}') as Record<string, unknown>;
    expect(summary).toHaveProperty('journeys');
    expect(readFileSync(join(data, '.journeycast-demo'), 'utf8')).toContain('npm run demo');
  });

  it('refuses a --data folder it did not make, and wipes nothing', async () => {
    const foreign = mkdtempSync(join(dir, 'foreign-'));
    const precious = join(foreign, 'precious.txt');
    writeFileSync(precious, 'keep me');
    const { code, output } = await runDemo(['--users', '5', '--data', foreign], { REDIS_URL: redis.url });
    expect(code).toBe(1);
    expect(output).toContain('is not empty and was not made by the demo');
    expect(readFileSync(precious, 'utf8')).toBe('keep me');
  });
});
