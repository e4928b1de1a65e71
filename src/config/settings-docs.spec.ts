import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from './load-config';
import { NAMESPACES } from './settings';

/** A setting's value as the README's Default column writes it: `unset`, `empty`, or the value itself. */
function asWritten(value: unknown): string {
  if (value === undefined) return 'unset';
  if (Array.isArray(value)) return value.length === 0 ? 'empty' : value.join(',');
  return String(value);
}

/** The README's Default column in development (`unset`, `empty` or the first code span), and in production when it says. */
function documentedDefaults(cell: string): { development: string; production?: string } {
  const development = /^(unset|empty)\b/.exec(cell)?.[1] ?? /^`([^`]*)`/.exec(cell)?.[1] ?? cell;
  const production = /\(`([^`]*)` in production\)/.exec(cell)?.[1];
  return { development, production };
}

describe('configuration documentation', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const settings = NAMESPACES.flatMap((namespace) =>
    Object.entries(namespace.specs).map(([key, spec]) => ({ namespace: namespace.name, key, env: spec.env })),
  );
  const rows = new Map(
    [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|/gm)].map(([, variable, cell]) => [
      variable,
      cell.trim(),
    ]),
  );

  it.each(settings.map((setting) => setting.env))('README.md documents %s in the configuration table', (variable) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${variable}\` \\|`, 'm'));
  });

  it('gives every setting the default the product uses, in development and where it says so in production', () => {
    const development = loadConfig({}) as unknown as Record<string, Record<string, unknown>>;
    const production = loadConfig({
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://db/jc',
      REDIS_URL: 'redis://r:6379',
      TRACKING_SIGNING_KEYS: `k1:${'s'.repeat(32)}`,
      PUBLIC_BASE_URL: 'https://links.example.com',
    }) as unknown as Record<string, Record<string, unknown>>;
    const wrong: string[] = [];
    for (const { namespace, key, env } of settings) {
      const documented = documentedDefaults(rows.get(env) ?? '');
      const used = asWritten(development[namespace][key]);
      if (documented.development !== used) wrong.push(`${env}: README ${documented.development}, product ${used}`);
      if (documented.production === undefined) continue;
      const usedInProduction = asWritten(production[namespace][key]);
      if (documented.production !== usedInProduction) {
        wrong.push(`${env} in production: README ${documented.production}, product ${usedInProduction}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lists no setting the product does not read', () => {
    const known = new Set(settings.map((setting) => setting.env));
    expect([...rows.keys()].filter((variable) => !known.has(variable))).toEqual([]);
  });
});
