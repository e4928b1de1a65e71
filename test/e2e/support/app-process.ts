import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { nodeEntryArgs } from '../../setup/compiled-app';

const ROOT = join(__dirname, '..', '..', '..');

/** One of the product's entry points in its own process, as an operator runs it. */
export interface AppProcess {
  child: ChildProcess;
  /** Resolves with the URL the process printed once it is ready; rejects if it exits first. */
  url: Promise<string>;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code (null when a signal ended it). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

// A test run or benchmark that exits early (an error, process.exit) must not leave its processes behind.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a TypeScript entry point (relative to the repository) through ts-node with `args` and only the
 * given environment (plus PATH); `ready` captures the URL the process prints once it serves.
 */
export function startProcess(entry: string, args: string[], env: Record<string, string>, ready: RegExp): AppProcess {
  const child = spawn(process.execPath, [...nodeEntryArgs(entry), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let output = '';
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const url = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stdout += chunk.toString();
      // Only whole lines: a chunk may end inside the URL, and a port cut short is another port.
      const match = ready.exec(stdout.slice(0, stdout.lastIndexOf('\n') + 1));
      if (match) resolve(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}: ${output}`)));
  });
  url.catch(() => undefined);
  return {
    child,
    url,
    output: () => output,
    stop: (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Starts `src/main.ts` (the app, in the role APP_ROLE names); its URL is the API's or the ops port's. */
export function startApp(env: Record<string, string>): AppProcess {
  return startProcess('src/main.ts', [], env, /listening on (http:\/\/[\d.]+:\d+)/);
}

/**
 * Starts the standalone embedded MongoDB-compatible server (`npm run mongo:embedded`) on a free port, its
 * data in `dir` (in memory without one); `env` adds to its environment (NODE_OPTIONS, say), `args` to its
 * options.
 */
export function startEmbeddedMongoProcess(
  dir?: string,
  env: Record<string, string> = {},
  args: string[] = [],
): AppProcess {
  return startProcess(
    'src/embedded-mongo/main.ts',
    ['--port', '0', ...(dir ? ['--dir', dir] : []), ...args],
    env,
    /listening on (mongodb:\/\/[\d.]+:\d+)/,
  );
}
