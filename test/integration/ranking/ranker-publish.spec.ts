import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { registerTrainRankerCommand } from '../../../src/modules/cli/commands/ranker-train.command';
import { FEATURE_NAMES } from '../../../src/modules/ranking/domain';
import { Prng } from '../../../src/lib/synthetic/prng';
import { startTestMongo } from '../../setup/mongo';

const HOUR = 3_600_000;

/** Examples whose opens follow the span feature, which the prior ignores, so a trained model beats it. */
function exampleLines(count: number, seed: number): string {
  const rng = new Prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const features = Object.fromEntries(FEATURE_NAMES.map((name) => [name, rng.float(0, 1)]));
    const at = new Date(Date.parse('2026-05-01T00:00:00Z') + i * HOUR);
    const opened = rng.next() < 1 / (1 + Math.exp(-8 * (features.span_days_log - 0.5)));
    return JSON.stringify({ userId: `u${i % 30}`, journeyName: `j${i % 6}`, at, features, label: opened ? 1 : 0 });
  }).join('\n');
}

describe('journeycast ranker train --publish', () => {
  let mongo: EmbeddedMongo;
  let dir: string;
  const logs: string[] = [];

  beforeAll(async () => {
    mongo = await startTestMongo();
    process.env.MONGODB_URI = `${mongo.uri}ranker-cli`;
    process.env.NODE_ENV = 'test';
    dir = mkdtempSync(join(tmpdir(), 'ranker-publish-'));
    jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    delete process.env.MONGODB_URI;
    rmSync(dir, { recursive: true, force: true });
    await mongo.stop();
  });

  async function train(...args: string[]): Promise<void> {
    const program = new Command('journeycast').exitOverride();
    registerTrainRankerCommand(program);
    await program.parseAsync(['ranker', 'train', ...args], { from: 'user' });
  }

  it('publishes a model that beats the prior, then keeps a worse one as a candidate only', async () => {
    writeFileSync(join(dir, 'good.jsonl'), exampleLines(400, 1));
    await train(
      '--examples',
      join(dir, 'good.jsonl'),
      '--out',
      join(dir, 'good.json'),
      '--model-version',
      'good',
      '--publish',
    );
    expect(logs.at(-1)).toBe('published good: journey builds use it from now on');

    const noisy = exampleLines(400, 2)
      .split('\n')
      .map((line, i) => (i < 320 ? line.replace(/"label":[01]/, `"label":${i % 2}`) : line))
      .join('\n');
    writeFileSync(join(dir, 'noisy.jsonl'), noisy);
    await train(
      '--examples',
      join(dir, 'noisy.jsonl'),
      '--out',
      join(dir, 'noisy.json'),
      '--model-version',
      'noisy',
      '--publish',
    );
    expect(logs.at(-1)).toMatch(/^stored noisy as a candidate only/);

    const connection = await mongoose.createConnection(`${mongo.uri}ranker-cli`).asPromise();
    const models = await connection
      .collection('models')
      .find({}, { projection: { kind: 1, version: 1 } })
      .toArray();
    await connection.close();
    expect(models.map((m) => `${m.kind}@${m.version}`).sort()).toEqual([
      'journey-ranker.candidate@noisy',
      'journey-ranker@good',
    ]);
  });
});
