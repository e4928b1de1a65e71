import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JUDGE_RUBRIC } from './judge-prompt';

describe('the judge rubric in the README', () => {
  it('is the rubric of the prompt, word for word, so people grade on the judge scale', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
    for (const [grade, meaning] of JUDGE_RUBRIC) expect(readme).toContain(`| ${grade} | ${meaning} |`);
  });
});
