import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RedisProcess } from '../../src/common/redis/redis-process';
import { startTestRedis } from '../setup/redis';
import { nodeEntryArgs } from '../setup/compiled-app';

const ROOT = join(__dirname, '..', '..');
// A whole product run in a child process: ingest, journey build, campaigns, sends, tracking, reports.
jest.setTimeout(15 * 60_000);

function runDemo(
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...nodeEntryArgs('src/demo/demo.ts'), ...args], {
    cwd,
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
    // On failure the message is the demo's whole output.
    expect(code === 0 ? 'exit code 0' : `exit code ${code}:\n${output}`).toBe('exit code 0');
    expect(output).toContain('the development LLM at http://127.0.0.1:');
    expect(output).toMatch(/users built in \d+ shards/);
    expect(output).toMatch(/demo-journey-push: activated; \d+ users in its audience/);
    // Both arms composed for one user; the journey arm's copy came from the LLM.
    expect(output).toMatch(/demo-journey-push \[interest\] user-\d+ about "[^"]+" \(template\)/);
    expect(output).toMatch(/demo-journey-push \[journey-llm\] user-\d+ about "[^"]+" \(llm\)/);
    expect(existsSync(join(data, 'campaigns', 'demo-journey-push.yaml'))).toBe(true);
    const summary = JSON.parse(/\nSummary\n([\s\S]*?\n\})\n/.exec(output)?.[1] ?? '{}') as Record<
      string,
      Record<string, unknown>
    >;
    expect(summary).toHaveProperty('journeys');
    expect(readFileSync(join(data, '.journeycast-demo'), 'utf8')).toContain('npm run demo');
    const stopped = /Stopped at step (\d+): (.*)/.exec(output);
    if (stopped) {
      // A build without campaign runs or tracking: the demo says which, and reports nothing it did not do.
      expect(stopped[2]).toMatch(/is not part of this build|are not part of this build/);
      expect(summary).not.toHaveProperty(['demo-journey-push.v1']);
      return;
    }
    for (const id of ['demo-journey-push.v1', 'demo-journeys-email.v1']) {
      // The report's counts equal what the simulated people did through tracking, and the planted
      // difference of expected open rates lies inside the primary interval (or, for the populations a 95%
      // interval misses, within it widened to a 1-in-1,000 miss).
      expect(summary[id]).toMatchObject({ countsMatchTracking: true, consistent: true });
      expect(existsSync(join(data, 'reports', `${id}.html`))).toBe(true);
    }
    expect(output).toMatch(/demo-journey-push: run \S+ completed/);
    expect(output).toContain('One push, as written to the outbox');
    expect(output).toContain('One email, as the SMTP server received it');
    expect(output).toMatch(/push: \d+ received, \d+ about an ongoing journey of the reader; \d+ opened/);
    expect(output).toContain(`Open the report: ${join(data, 'reports', 'demo-journey-push.v1.html')}`);
  });

  it('prints its usage for --help, and refuses an unknown option, starting nothing', async () => {
    const data = join(dir, 'never');
    const help = await runDemo(['--help', '--data', data], { REDIS_URL: redis.url });
    expect(help.code).toBe(0);
    expect(help.output).toContain('Usage: npm run demo -- [--users <n>] [--seed <n>] [--data <folder>]');
    const typo = await runDemo(['--user', '1000', '--data', data], { REDIS_URL: redis.url });
    expect(typo.code).toBe(1);
    expect(typo.output).toMatch(/^Unknown option '--user'\n\nUsage: npm run demo/);
    expect(existsSync(data)).toBe(false);
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

  it('refuses the default ./data/demo too when it did not make it', async () => {
    const project = mkdtempSync(join(dir, 'project-'));
    const precious = join(project, 'data', 'demo', 'precious.txt');
    mkdirSync(dirname(precious), { recursive: true });
    writeFileSync(precious, 'keep me');
    const { code, output } = await runDemo(['--users', '5'], { REDIS_URL: redis.url }, project);
    expect(code).toBe(1);
    expect(output).toContain('is not empty and was not made by the demo');
    expect(readFileSync(precious, 'utf8')).toBe('keep me');
  });
});
