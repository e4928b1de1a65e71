/**
 * `npm run bench [-- <section>...]`: runs every `*.bench.ts` section in this folder (or the named ones)
 * one after another and prints their numbers. Each section exports `run(): Promise<void>`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

interface BenchSection {
  run(): Promise<void>;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
    .sort();
  if (files.length === 0) throw new Error(`no bench section matches ${wanted.join(', ')}`);
  for (const file of files) {
    console.log(`\n## ${file.replace('.bench.ts', '')}`);
    const section = (await import(join(__dirname, file))) as BenchSection;
    await section.run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
