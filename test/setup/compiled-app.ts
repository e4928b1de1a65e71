import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'src');
/** Where the compiled app lives: one level below the repository, at the depth of `src/` and `dist/`. */
export const COMPILED_DIR = join(ROOT, '.test-build');
/** Set by the integration and e2e projects' global setup once the compiled app is current. */
export const COMPILED_ENV = 'JOURNEYCAST_TEST_BUILD';

/**
 * Node arguments that run `entry` (a `.ts` path relative to the repository, e.g. `src/cli.ts`): the compiled
 * copy when the global setup made one, else the source through ts-node. A child process that compiles the
 * whole app with ts-node spends seconds (up to a minute on shared cores) before its first line runs; tests
 * start dozens of them.
 */
export function nodeEntryArgs(entry: string): string[] {
  const dir = process.env[COMPILED_ENV];
  if (dir && entry.startsWith('src/')) {
    const compiled = join(dir, entry.slice('src/'.length).replace(/\.ts$/, '.js'));
    if (existsSync(compiled)) return [compiled];
  }
  return ['-r', 'ts-node/register/transpile-only', join(ROOT, entry)];
}

/**
 * Transpiles `src/` (specs left out) into {@link COMPILED_DIR} file by file — the same per-file transpilation
 * ts-node's transpile-only mode does, so the children behave as before — and copies its other files (views).
 * Only sources newer than their output are redone; outputs without a source are removed. Types are checked
 * by `npm run typecheck`, not here.
 */
export function compileApp(): { compiled: number; kept: number } {
  const options = compilerOptions();
  const stamp = createHash('sha256')
    .update(ts.version + JSON.stringify(options))
    .digest('hex');
  const stampFile = join(COMPILED_DIR, '.stamp');
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    rmSync(COMPILED_DIR, { recursive: true, force: true });
  }
  const wanted = new Set<string>();
  let compiled = 0;
  let kept = 0;
  for (const source of walk(SRC)) {
    if (source.endsWith('.spec.ts')) continue;
    const isTs = source.endsWith('.ts') && !source.endsWith('.d.ts');
    const target = join(COMPILED_DIR, isTs ? relative(SRC, source).replace(/\.ts$/, '.js') : relative(SRC, source));
    wanted.add(target);
    if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) {
      kept++;
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    if (isTs) {
      const output = ts.transpileModule(readFileSync(source, 'utf8'), { compilerOptions: options, fileName: source });
      writeFileSync(temp, output.outputText);
    } else {
      copyFileSync(source, temp);
    }
    renameSync(temp, target);
    compiled++;
  }
  for (const output of walk(COMPILED_DIR)) {
    if (!wanted.has(output) && output !== stampFile) rmSync(output, { force: true });
  }
  mkdirSync(COMPILED_DIR, { recursive: true });
  writeFileSync(stampFile, stamp);
  return { compiled, kept };
}

/** The repository's compiler options as transpilation uses them (no source maps: nothing reads them). */
function compilerOptions(): ts.CompilerOptions {
  const file = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(file, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return { ...parsed.options, sourceMap: false, inlineSourceMap: false, declaration: false, noEmit: false };
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
