import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from './program';

describe('journeycast program', () => {
  it('answers --version with the package version', () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    const program = buildProgram().exitOverride();
    let printed = '';
    program.configureOutput({ writeOut: (text) => (printed += text) });
    expect(() => program.parse(['node', 'journeycast', '--version'])).toThrow(version);
    expect(printed.trim()).toBe(version);
  });
});
