import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Db, MongoClient } from 'mongodb';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { startEmbeddedMongoProcess } from '../../e2e/support/app-process';
import { nodeEntryArgs } from '../../setup/compiled-app';

const children = new Set<ChildProcess>();

jest.setTimeout(60_000);

/** Starts the standalone server in a child process and resolves with its URI and what it printed so far. */
async function startChild(dir: string): Promise<{ child: ChildProcess; uri: string; output: () => string }> {
  const server = startEmbeddedMongoProcess(dir, {}, ['--compact-after', '65536']);
  children.add(server.child);
  server.child.once('exit', () => children.delete(server.child));
  return { child: server.child, uri: await server.url, output: server.output };
}

/** Waits (generously: the machine may be busy) until `done` holds; fails naming `what` otherwise. */
async function waitUntil(what: string, done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 60_000; !done();) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const journalFile = (generation: number) => `journal-${String(generation).padStart(8, '0')}.log`;

/** Sets the soft limit of a resource (`fsize`, `nofile`) for the server process. */
function limit(child: ChildProcess, resource: string, soft: string): void {
  execFileSync('prlimit', ['--pid', String(child.pid), `--${resource}=${soft}:`]);
}

/** Kills the server process (SIGKILL), opens its directory in a new server and runs `check` on its data. */
async function killAndReopen(
  child: ChildProcess,
  client: MongoClient,
  dataDir: string,
  check: (db: Db) => Promise<void>,
): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  await client.close(true);
  const server = await EmbeddedMongo.start({ dir: dataDir });
  const reader = await MongoClient.connect(server.uri);
  try {
    await check(reader.db('durable'));
  } finally {
    await reader.close();
    await server.stop();
  }
}

/**
 * Starts the server on `dataDir`, stores `stored`, then fills its disk: the file size limit of the server
 * process stands in for a full disk (a write past it is cut short), and the write of `failed` fails.
 */
async function startOnFullDisk(dataDir: string, stored: string, failed: string) {
  const { child, uri, output } = await startChild(dataDir);
  const client = await MongoClient.connect(uri, { retryWrites: false });
  const full = client.db('durable').collection('full');
  await full.insertOne({ _id: stored as never });
  limit(child, 'fsize', String(statSync(join(dataDir, journalFile(1))).size + 100));
  await expect(full.insertOne({ _id: failed as never, pad: 'p'.repeat(1000) })).rejects.toThrow(/journal write failed/);
  return { child, uri, output, client, full };
}

interface Acked {
  inserted: Array<{ w: number; seq: number }>;
  increments: number[];
}

/** Eight writers hammer the server until it dies; only writes whose reply arrived count as acknowledged. */
async function writeUntilKilled(uri: string, child: ChildProcess, killAfter: number): Promise<Acked> {
  const client = await MongoClient.connect(uri, { maxPoolSize: 8, serverSelectionTimeoutMS: 500, retryWrites: false });
  const acked: Acked = { inserted: [], increments: Array(8).fill(0) };
  await client.db('durable').collection('events').createIndex({ w: 1, seq: 1 }, { unique: true });
  const writer = async (w: number) => {
    const db = client.db('durable');
    for (let seq = 0; ; seq += 1) {
      if (seq % 10 === 9) {
        const batch = Array.from({ length: 20 }, (_, k) => ({ w, seq: seq * 100 + k, pad: 'p'.repeat(200) }));
        await db.collection('events').insertMany(batch);
        acked.inserted.push(...batch.map(({ w: bw, seq: bs }) => ({ w: bw, seq: bs })));
      } else {
        await db.collection('events').insertOne({ w, seq, pad: 'p'.repeat(200) });
        acked.inserted.push({ w, seq });
      }
      await db.collection('counters').updateOne({ _id: w as never }, { $inc: { n: 1 } }, { upsert: true });
      acked.increments[w]++;
      if (acked.inserted.length >= killAfter && !child.killed) child.kill('SIGKILL');
    }
  };
  await Promise.allSettled(Array.from({ length: 8 }, (_, w) => writer(w)));
  await client.close(true);
  return acked;
}

describe('embedded mongo durability', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'embedded-mongo-durability-'));
  });

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged write after SIGKILL mid-write, across journal compactions', async () => {
    const { child, uri } = await startChild(dir);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const acked = await writeUntilKilled(uri, child, 4000);
    expect(await exited).toBeNull();

    const server = await EmbeddedMongo.start({ dir });
    const client = await MongoClient.connect(server.uri);
    try {
      const events = client.db('durable').collection('events');
      const stored = new Set(
        (await events.find({}, { projection: { _id: 0, w: 1, seq: 1 } }).toArray()).map((d) => `${d.w}:${d.seq}`),
      );
      const missing = acked.inserted.filter(({ w, seq }) => !stored.has(`${w}:${seq}`));
      expect(missing).toEqual([]);
      // At most one unacknowledged operation per writer was in flight when the server died.
      expect(stored.size - acked.inserted.length).toBeLessThanOrEqual(8 * 20);
      const counters = await client.db('durable').collection('counters').find().sort({ _id: 1 }).toArray();
      counters.forEach((c) => {
        const w = c._id as unknown as number;
        expect(c.n).toBeGreaterThanOrEqual(acked.increments[w]);
        expect(c.n).toBeLessThanOrEqual(acked.increments[w] + 1);
      });
      expect((await events.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'w_1_seq_1']);
      await expect(events.insertOne({ w: 0, seq: 0 })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await client.close();
      await server.stop();
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('ignores a torn record at the end of the journal and keeps appending after it', async () => {
    const tornDir = join(dir, 'torn');
    const { child, uri } = await startChild(tornDir);
    const writer = await MongoClient.connect(uri);
    await writer
      .db('durable')
      .collection('torn')
      .insertMany([{ _id: 'kept-1' as never }, { _id: 'kept-2' as never }]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await writer.close(true);
    // A crash in the middle of a write leaves a header promising more bytes than follow.
    const journal = readdirSync(tornDir).find((f) => f.startsWith('journal-'))!;
    const torn = Buffer.alloc(12);
    torn.writeUInt32LE(500, 0);
    appendFileSync(join(tornDir, journal), torn);

    let server = await EmbeddedMongo.start({ dir: tornDir });
    let client = await MongoClient.connect(server.uri);
    try {
      expect((await client.db('durable').collection('torn').find().toArray()).map((d) => d._id)).toEqual([
        'kept-1',
        'kept-2',
      ]);
      await client
        .db('durable')
        .collection('torn')
        .insertOne({ _id: 'after' as never });
    } finally {
      await client.close();
      await server.stop();
    }
    server = await EmbeddedMongo.start({ dir: tornDir });
    client = await MongoClient.connect(server.uri);
    try {
      expect(
        (await client.db('durable').collection('torn').find().sort({ _id: 1 }).toArray()).map((d) => d._id),
      ).toEqual(['after', 'kept-1', 'kept-2']);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('fails a write the full disk cut short and loses no write acknowledged after it', async () => {
    const fullDir = join(dir, 'full');
    const { child, client, full } = await startOnFullDisk(fullDir, 'before', 'cut');
    limit(child, 'fsize', 'unlimited');
    await full.insertOne({ _id: 'after' as never });
    await killAndReopen(child, client, fullDir, async (db) => {
      const ids = (await db.collection('full').find().toArray()).map((d) => d._id);
      // The failed write stayed in memory and was journaled ahead of the next one.
      expect(ids).toEqual(['before', 'cut', 'after']);
    });
  });

  it('answers the handshake and ping on a full disk, so a client gets the disk error on a find, not a server-selection timeout', async () => {
    const fullDir = join(dir, 'full-handshake');
    const { child, uri, client, full } = await startOnFullDisk(fullDir, 'before', 'cut');
    try {
      // A client that connects now: its handshake and monitoring show no data, so the full disk does not refuse them.
      const fresh = new MongoClient(uri, {
        retryWrites: false,
        retryReads: false,
        serverSelectionTimeoutMS: 30_000,
        heartbeatFrequencyMS: 500,
      });
      const heartbeats = { succeeded: 0, failed: 0 };
      fresh.on('serverHeartbeatSucceeded', () => heartbeats.succeeded++);
      fresh.on('serverHeartbeatFailed', () => heartbeats.failed++);
      try {
        await fresh.connect();
        // The driver's monitor checks the server with hello again and again; none of its checks may fail.
        await waitUntil('the monitor to check the server twice', () => heartbeats.succeeded + heartbeats.failed >= 2);
        expect(heartbeats.failed).toBe(0);
        expect(await fresh.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
        const docs = fresh.db('durable').collection('full');
        // Reads and writes still show nothing that is not on disk.
        await expect(docs.find().toArray()).rejects.toMatchObject({
          name: 'MongoServerError',
          message: expect.stringMatching(/journal write failed/),
        });
        await expect(docs.insertOne({ _id: 'unacknowledged' as never })).rejects.toThrow(/journal write failed/);
      } finally {
        await fresh.close(true);
      }
    } finally {
      limit(child, 'fsize', 'unlimited');
    }
    await full.insertOne({ _id: 'after' as never });
    await killAndReopen(child, client, fullDir, async (db) => {
      // The writes that failed stayed in memory and were journaled ahead of the next one, as on any full disk.
      expect((await db.collection('full').find().toArray()).map((d) => d._id)).toEqual([
        'before',
        'cut',
        'unacknowledged',
        'after',
      ]);
    });
  });

  it('acknowledges a journaled write even when the snapshot it sets off cannot start', async () => {
    const noFilesDir = join(dir, 'no-files');
    const { child, uri } = await startChild(noFilesDir);
    const client = await MongoClient.connect(uri, { retryWrites: false, maxPoolSize: 1 });
    const rotated = client.db('durable').collection('rotated');
    await rotated.insertOne({ _id: -1 as never });
    // The server can open no more files (its lowest free descriptor is the limit), so no new journal can be created.
    const open = new Set(readdirSync(`/proc/${child.pid}/fd`).map(Number));
    let lowestFree = 0;
    while (open.has(lowestFree)) lowestFree++;
    const limitOpenFiles = (soft: string) => limit(child, 'nofile', soft);
    limitOpenFiles(String(lowestFree));
    try {
      // 80 KB of writes pass the 64 KiB at which a snapshot starts.
      for (let i = 0; i < 80; i++) await rotated.insertOne({ _id: i as never, pad: 'p'.repeat(1000) });
    } finally {
      limitOpenFiles('1024');
    }
    await killAndReopen(child, client, noFilesDir, async (db) => {
      expect(await db.collection('rotated').countDocuments()).toBe(81);
    });
  });

  it('keeps the last snapshot when a full disk cuts the next one short, and restarts with every acknowledged write', async () => {
    const snapDir = join(dir, 'snapshot-full');
    const { child, uri, output } = await startChild(snapDir);
    const client = await MongoClient.connect(uri, { retryWrites: false, maxPoolSize: 1 });
    const docs = client.db('durable').collection('snapped');
    const files = () => readdirSync(snapDir);
    const snapshotFile = join(snapDir, 'snapshot.bson');
    // Few large documents: the whole snapshot is one chunk, handed to the file in one write.
    const pad = 'p'.repeat(4000);
    let acked = 0;
    const insert = async () => {
      await docs.insertOne({ _id: acked as never, pad });
      acked++;
    };
    // 80 KB of writes pass the 64 KiB at which a snapshot starts.
    for (let i = 0; i < 20; i++) await insert();
    await waitUntil('the first snapshot', () => files().includes('snapshot.bson') && !files().includes(journalFile(1)));
    const good = readFileSync(snapshotFile);
    // The file size limit of the server process stands in for a full disk: the journals (each smaller than
    // the last snapshot's size plus a write) still fit, the next snapshot (larger than both) does not.
    limit(child, 'fsize', String(good.length + 30_000));
    while (!files().includes(journalFile(3))) await insert();
    await waitUntil(
      'the second snapshot to end',
      () => /snapshot failed/.test(output()) || !readFileSync(snapshotFile).equals(good),
    );
    expect(output()).toMatch(/snapshot failed/);
    expect(readFileSync(snapshotFile).equals(good)).toBe(true);
    expect(files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The server goes on serving, and the journals the snapshot would have replaced stay.
    for (let i = 0; i < 3; i++) await insert();
    expect(await docs.countDocuments()).toBe(acked);
    expect(files()).toEqual(expect.arrayContaining([journalFile(2), journalFile(3)]));
    await killAndReopen(child, client, snapDir, async (db) => {
      const ids = (await db.collection('snapped').find().sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(ids).toEqual(Array.from({ length: acked }, (_, i) => i));
    });
  }, 180_000);

  it('stops on SIGTERM while the disk is still full: reports the change it could not journal, releases the directory', async () => {
    const stillFullDir = join(dir, 'still-full');
    const { child, output, client } = await startOnFullDisk(stillFullDir, 'acknowledged', 'refused');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    // Stopping could not journal everything the server held: it says so and exits with 1, after releasing the directory.
    expect(await exited).toBe(1);
    await client.close(true);
    expect(output()).toMatch(/\[embedded-mongo\] stopping: changes of a command that failed .* could not be journaled/);
    expect(readdirSync(stillFullDir).filter((f) => f.includes('.lock') || f.endsWith('.tmp'))).toEqual([]);
    const server = await EmbeddedMongo.start({ dir: stillFullDir });
    const reader = await MongoClient.connect(server.uri);
    try {
      expect((await reader.db('durable').collection('full').find().toArray()).map((d) => d._id)).toEqual([
        'acknowledged',
      ]);
    } finally {
      await reader.close();
      await server.stop();
    }
  });

  it.each([
    ['its lock', 8],
    ['the address it listens on', 40],
  ])('refuses to start when a full disk cuts %s short, and leaves no lock behind', async (_, fileSizeLimit) => {
    const startDir = join(dir, `start-full-${fileSizeLimit}`);
    mkdirSync(startDir);
    // The server runs under a file size limit from its first instruction: the lock (its pid, then its
    // address as well) is the first file it writes.
    const server = ['src/embedded-mongo/main.ts', '--port', '0', '--dir', startDir];
    const child = spawn(
      'prlimit',
      [`--fsize=${fileSizeLimit}`, '--', process.execPath, ...nodeEntryArgs(server[0]), ...server.slice(1)],
      {
        cwd: join(__dirname, '..', '..', '..'),
      },
    );
    children.add(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    children.delete(child);
    expect(code).toBe(1);
    expect(output).toMatch(/the lock file of data directory .* could not be written \(EFBIG/);
    expect(readdirSync(startDir).filter((f) => f.includes('.lock'))).toEqual([]);
  });

  it('stops on SIGTERM without writing a snapshot: the fsynced journal holds everything, the lock is released', async () => {
    const cleanDir = join(dir, 'clean');
    const { child, uri } = await startChild(cleanDir);
    const client = await MongoClient.connect(uri);
    await client
      .db('durable')
      .collection('clean')
      .insertMany(Array.from({ length: 50 }, (_, i) => ({ i })));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await client.close(true);
    const files = readdirSync(cleanDir).sort();
    expect(files.filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'))).toEqual([]);
    const journals = files.filter((f) => f.startsWith('journal-'));
    expect(journals).toHaveLength(1);
    expect(statSync(join(cleanDir, journals[0])).size).toBeGreaterThan(0);
    const server = await EmbeddedMongo.start({ dir: cleanDir });
    const reader = await MongoClient.connect(server.uri);
    try {
      expect(await reader.db('durable').collection('clean').countDocuments()).toBe(50);
    } finally {
      await reader.close();
      await server.stop();
    }
  });

  it('refuses a second server on a directory this process already serves', async () => {
    const server = await EmbeddedMongo.start({ dir: join(dir, 'twice') });
    try {
      await expect(EmbeddedMongo.start({ dir: join(dir, 'twice') })).rejects.toThrow(/in use by process/);
    } finally {
      await server.stop();
      await server.stop();
    }
    // After a container restart the new process may get the dead one's pid: that lock is stale.
    mkdirSync(join(dir, 'reused'));
    writeFileSync(join(dir, 'reused', 'embedded-mongo.lock'), String(process.pid));
    const reused = await EmbeddedMongo.start({ dir: join(dir, 'reused') });
    await reused.stop();
  });

  it('refuses to open a data directory another live process holds', async () => {
    const server = await EmbeddedMongo.start({ dir: join(dir, 'locked') });
    try {
      const { child } = await startChild(join(dir, 'locked')).catch((error: Error) => ({ child: null, error }));
      expect(child).toBeNull();
    } finally {
      await server.stop();
    }
  });
});
