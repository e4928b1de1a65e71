import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { EmbeddedMongo, FileSync, systemFileSync } from '../../../src/embedded-mongo';

jest.setTimeout(120_000);

/** The system's fsync, until `failing` is set: then every fsync fails as on a disk with an I/O error. */
class FailingDisk implements FileSync {
  failing = false;
  failures = 0;

  private fault(): Error {
    this.failures++;
    return Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
  }

  fsync(fd: number): Promise<void> {
    return this.failing ? Promise.reject(this.fault()) : systemFileSync.fsync(fd);
  }

  fsyncSync(fd: number): void {
    if (this.failing) throw this.fault();
    systemFileSync.fsyncSync(fd);
  }
}

/** Waits (generously: the machine may be busy) until `done` resolves true; fails naming `what` otherwise. */
async function waitUntil(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 60_000; !(await done());) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const journalFile = (generation: number) => `journal-${String(generation).padStart(8, '0')}.log`;

/** Files of `dir` this process still holds open (a deleted one still counts). */
function openFilesIn(dir: string): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target.startsWith(`${dir}/`))
    .map((target) => target.slice(dir.length + 1));
}

describe('embedded mongo after a failed fsync', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'embedded-mongo-fsync-'));
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses writes until a snapshot has made every acknowledged write durable, then accepts them again', async () => {
    const dir = join(root, 'journal');
    const disk = new FailingDisk();
    let server = await EmbeddedMongo.start({ dir, fileSync: disk });
    let client = await MongoClient.connect(server.uri, { retryWrites: false });
    let durable: boolean;
    try {
      const docs = client.db('durable').collection('docs');
      await docs.insertOne({ _id: 'before' as never });
      disk.failing = true;
      // Written to the journal before the reply, as always; the fsync that follows fails.
      await docs.insertOne({ _id: 'acknowledged' as never });
      await waitUntil('the journal fsync to fail', () => disk.failures > 0);
      // The page cache may have dropped what that fsync did not write: the journal can no longer be trusted.
      await expect(docs.insertOne({ _id: 'refused' as never })).rejects.toThrow(/journal fsync failed/);
      // Reads and the handshake still answer.
      expect((await docs.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['acknowledged', 'before']);
      await client.db('admin').command({ ping: 1 });

      disk.failing = false;
      await waitUntil('writes to be accepted again', () =>
        docs.insertOne({ _id: 'after' as never }).then(
          () => true,
          () => false,
        ),
      );
      expect(readdirSync(dir)).toContain('snapshot.bson');
    } finally {
      await client.close();
      durable = await server.stop();
    }
    expect(durable).toBe(true);
    server = await EmbeddedMongo.start({ dir });
    client = await MongoClient.connect(server.uri);
    try {
      const ids = (await client.db('durable').collection('docs').find().sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(ids).toEqual(['acknowledged', 'after', 'before']);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('closes the previous journal even when its fsync fails at a snapshot', async () => {
    const dir = join(root, 'rotation');
    const disk = new FailingDisk();
    const server = await EmbeddedMongo.start({ dir, fileSync: disk });
    const client = await MongoClient.connect(server.uri, { retryWrites: false });
    try {
      const docs = client.db('durable').collection('docs');
      await docs.insertOne({ _id: 'first' as never });
      disk.failing = true;
      await expect(server.snapshot()).rejects.toThrow(/EIO/);
      disk.failing = false;
      await waitUntil(
        'the first journal to be closed',
        () => !openFilesIn(dir).some((f) => f.startsWith(journalFile(1))),
      );
      await waitUntil(
        'the first journal to be replaced by a snapshot',
        () => !readdirSync(dir).includes(journalFile(1)),
      );
      // Only the journal now written to stays open.
      expect(openFilesIn(dir).filter((f) => f.startsWith('journal-'))).toHaveLength(1);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('stops reporting that the journal could not be made durable while fsync keeps failing, and releases the directory', async () => {
    const dir = join(root, 'stop');
    const disk = new FailingDisk();
    const server = await EmbeddedMongo.start({ dir, fileSync: disk });
    const client = await MongoClient.connect(server.uri, { retryWrites: false });
    disk.failing = true;
    await client
      .db('durable')
      .collection('docs')
      .insertOne({ _id: 'acknowledged' as never });
    await waitUntil('the journal fsync to fail', () => disk.failures > 0);
    await client.close();
    expect(await server.stop()).toBe(false);
    const reopened = await EmbeddedMongo.start({ dir });
    await reopened.stop();
  });
});
