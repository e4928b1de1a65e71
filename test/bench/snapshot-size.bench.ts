/**
 * A snapshot past 2 GiB (the size a store of about 7.5M events reaches) is written in the
 * background and loaded back: the reader streams it in chunks, so no single buffer holds the file.
 * BENCH_SNAPSHOT_GIB sets the size (default 2.2).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Binary, MongoClient } from 'mongodb';
import { EmbeddedMongo } from '../../src/embedded-mongo';

const DOC_BYTES = 15 * 1024 * 1024;

export async function run(): Promise<void> {
  const gib = Number(process.env.BENCH_SNAPSHOT_GIB ?? 2.2);
  const count = Math.ceil((gib * 1024 ** 3) / DOC_BYTES);
  const dir = mkdtempSync(join(tmpdir(), 'jc-bench-snapshot-'));
  // No compaction while filling: one snapshot at the end, of everything.
  let server = await EmbeddedMongo.start({ dir, compactAfterBytes: Number.MAX_SAFE_INTEGER });
  let client = await MongoClient.connect(server.uri);
  try {
    const blob = randomBytes(DOC_BYTES);
    for (let i = 0; i < count; i++) {
      await client
        .db('big')
        .collection('blobs')
        .insertOne({ i, blob: new Binary(blob) });
    }
    const written = performance.now();
    await server.snapshot();
    const size = statSync(join(dir, 'snapshot.bson')).size;
    console.log(
      `snapshot: ${count} documents, ${(size / 1024 ** 3).toFixed(2)} GiB written in ${((performance.now() - written) / 1000).toFixed(1)} s`,
    );
    await client.close();
    await server.stop();
    const loading = performance.now();
    server = await EmbeddedMongo.start({ dir, compactAfterBytes: Number.MAX_SAFE_INTEGER });
    const loadSeconds = (performance.now() - loading) / 1000;
    client = await MongoClient.connect(server.uri);
    const last = await client
      .db('big')
      .collection('blobs')
      .findOne({ i: count - 1 });
    const ok =
      (await client.db('big').collection('blobs').countDocuments()) === count && last?.blob.length() === DOC_BYTES;
    console.log(`load: ${loadSeconds.toFixed(1)} s, ${ok ? 'every document back' : 'DOCUMENTS MISSING'}`);
    if (!ok) throw new Error('the snapshot did not load completely');
  } finally {
    await client.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
