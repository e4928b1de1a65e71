import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NAMESPACES } from './settings';

describe('configuration documentation', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it.each(NAMESPACES.flatMap((namespace) => Object.values(namespace.specs).map((spec) => spec.env)))(
    'README.md documents %s in the configuration table',
    (variable) => {
      expect(readme).toMatch(new RegExp(`^\\| \`${variable}\` \\|`, 'm'));
    },
  );
});
