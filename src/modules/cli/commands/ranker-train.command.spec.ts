import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES } from '../../ranking/domain/features';
import { parseRankingModel } from '../../ranking/domain/scoring';
import { seededRandom } from '../../ranking/domain/testing/journeys.fixture';
import { registerTrainRankerCommand } from './ranker-train.command';

const SENT = Date.parse('2026-05-01T00:00:00Z');

/** JSONL lines whose outcome (an open within 2 hours) follows the 30-day engagement feature. */
function exampleLines(n: number): string {
  const random = seededRandom(42);
  return Array.from({ length: n }, (_, i) => {
    const features = Object.fromEntries(FEATURE_NAMES.map((name) => [name, random()]));
    const sentAt = new Date(SENT + i * 3_600_000);
    const engaged = random() < features.decayed_30d_log;
    return JSON.stringify({
      userId: `u${i % 20}`,
      journeyName: `j${i % 5}`,
      at: sentAt.toISOString(),
      features,
      ...(engaged ? { openedAt: new Date(sentAt.getTime() + 7_200_000).toISOString() } : {}),
    });
  }).join('\n');
}

describe('journeycast ranker train', () => {
  let dir: string;
  let output: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ranker-train-'));
    output = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(...args: string[]): Promise<void> {
    const program = new Command('journeycast').exitOverride();
    registerTrainRankerCommand(program);
    await program.parseAsync(['ranker', 'train', ...args], { from: 'user' });
  }

  it('trains from examples and annotations, writes a valid model and prints the report', async () => {
    writeFileSync(join(dir, 'examples.jsonl'), `${exampleLines(400)}\n\n`);
    writeFileSync(join(dir, 'labels.csv'), 'userId,journeyName,label\nu1,j1,1\nu2,j2,0\nghost,j1,1\n');
    await run(
      '--examples',
      join(dir, 'examples.jsonl'),
      '--out',
      join(dir, 'model.json'),
      '--annotations',
      join(dir, 'labels.csv'),
      '--now',
      '2026-06-01T00:00:00Z',
      '--model-version',
      'lr-test',
    );
    const model = parseRankingModel(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')));
    expect(model.version).toBe('lr-test');
    expect(model.report!.examples).toEqual({ train: 280, calibration: 60, validation: 60, annotations: 2 });
    expect(model.report!.validation.auc).toBeGreaterThan(0.6);
    const text = output.join('\n');
    expect(text).toContain('model lr-test trained 2026-06-01T00:00:00.000Z');
    expect(text).toMatch(/validation\s+examples\s+60/);
    expect(text).toContain('1 annotations matched no training example');
  });

  it('names the file and line of a bad example', async () => {
    writeFileSync(join(dir, 'examples.jsonl'), `${exampleLines(2)}\n{"userId":"u1"}\n`);
    await expect(run('--examples', join(dir, 'examples.jsonl'), '--out', join(dir, 'model.json'))).rejects.toThrow(
      /examples\.jsonl line 3: journeyName must be a non-empty string/,
    );
  });
});
