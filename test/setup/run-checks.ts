// Runs the package scripts named on the command line side by side (the static checks before the tests:
// tsc, ESLint and Prettier each use one core), prints each one's output as a block once it ends, and
// exits non-zero when any of them failed.
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(script: string): Promise<boolean> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code: number | null) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      process.stdout.write(`> ${script}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds} s\n`);
      if (output.trim()) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
      resolve(code === 0);
    });
  });
}

void Promise.all(scripts.map(run)).then((results) => {
  process.exitCode = results.every(Boolean) ? 0 : 1;
});
