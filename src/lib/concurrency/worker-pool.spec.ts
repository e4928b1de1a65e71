import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ResourceLimits } from 'node:worker_threads';
import { WorkerPool } from './worker-pool';

const script = join(__dirname, 'testing', 'echo-thread.ts');

describe('WorkerPool', () => {
  let pool: WorkerPool;
  afterEach(() => pool?.close());

  it('answers each task with its own result and rejects a task whose handler throws', async () => {
    pool = new WorkerPool(script, 2);
    const answers = await Promise.allSettled([
      pool.run({ kind: 'echo', value: 1 }),
      pool.run({ kind: 'throw', value: 2 }),
      pool.run({ kind: 'echo', value: 3 }),
    ]);
    expect(answers).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: new Error('refused 2') },
      { status: 'fulfilled', value: 3 },
    ]);
    expect(pool.failed).toBeUndefined();
    expect(await pool.broadcast({ kind: 'echo', value: 'all' })).toEqual(['all', 'all']);
  });

  it('keeps the process alive only while a thread has a task', () => {
    const probe = `
      const { WorkerPool } = require(${JSON.stringify(join(__dirname, 'worker-pool.ts'))});
      const pool = new WorkerPool(${JSON.stringify(script)}, 2);
      pool.run({ kind: 'wait', ms: 300, value: 'done' }).then((value) => console.log(value));
    `;
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', probe], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    // The task finished (it held the process open), then the idle pool, never closed, let it exit (else the call times out).
    expect(out.trim()).toBe('done');
  });

  it('moves a transferred buffer to the thread', async () => {
    pool = new WorkerPool(script, 1);
    const bytes = new Uint8Array([1, 2, 3]);
    const echoed = await pool.run<Uint8Array>({ kind: 'echo', value: bytes }, [bytes.buffer]);
    expect(bytes.byteLength).toBe(0);
    expect([...echoed]).toEqual([1, 2, 3]);
  });

  it('gives its threads the young generation asked for, and V8 its own default otherwise', async () => {
    pool = new WorkerPool(script, 1, undefined, { maxYoungGenerationSizeMb: 192 });
    const plain = new WorkerPool(script, 1);
    try {
      const [sized, unsized] = await Promise.all([
        pool.run<ResourceLimits>({ kind: 'limits' }),
        plain.run<ResourceLimits>({ kind: 'limits' }),
      ]);
      expect(sized.maxYoungGenerationSizeMb).toBe(192);
      expect(unsized.maxYoungGenerationSizeMb).toBeLessThan(192);
    } finally {
      await plain.close();
    }
  });

  it('rejects the tasks in flight and every later one once a thread ends, and says why', async () => {
    pool = new WorkerPool(script, 2);
    const waiting = pool.runOnThread(1, { kind: 'wait', ms: 10_000 });
    const ending = pool.runOnThread(0, { kind: 'exit' });
    await expect(ending).rejects.toThrow('worker thread exited with code 3');
    await expect(waiting).rejects.toThrow('worker thread exited with code 3');
    expect(pool.failed?.message).toBe('worker thread exited with code 3');
    await expect(pool.run({ kind: 'echo', value: 1 })).rejects.toBe(pool.failed);
  });
});
