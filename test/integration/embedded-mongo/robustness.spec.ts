import { deserialize, serialize } from 'bson';
import { useDriverClient } from '../../setup/mongo';
import { crc32c } from '../../../src/embedded-mongo/wire/crc32c';
import { exchange, opMsg, replies } from './raw-wire';

/** Small seeded PRNG so every fuzz run is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MiB = 1024 * 1024;

/** Sets checksumPresent and appends the CRC-32C of the whole message; the length covers it. */
function checksummed(frame: Buffer): Buffer {
  const message = Buffer.concat([frame, Buffer.alloc(4)]);
  message.writeInt32LE(message.length, 0);
  message.writeUInt32LE(message.readUInt32LE(16) | 1, 16);
  message.writeUInt32LE(crc32c(message.subarray(0, message.length - 4)), message.length - 4);
  return message;
}

describe('embedded mongo robustness', () => {
  const mongo = useDriverClient('fuzz');

  beforeAll(async () => {
    await mongo.client
      .db('fuzz')
      .collection('docs')
      .insertMany([{ a: 1 }, { a: 2 }]);
  });

  it('answers OP_MSG with document sequences, honours moreToCome and rejects unknown commands', async () => {
    const insert = opMsg(1, { insert: 'docs', $db: 'fuzz' }, { documents: [{ a: 3 }, { a: 4 }] });
    const silent = opMsg(2, { insert: 'docs', $db: 'fuzz' }, { documents: [{ a: 5 }] }, 2);
    const unknown = opMsg(3, { frobnicate: 1, $db: 'fuzz' });
    const withChecksum = checksummed(opMsg(4, { count: 'docs', $db: 'fuzz' }));
    const { data } = await exchange(mongo.server.port, insert, silent, unknown, withChecksum);
    expect(replies(data)).toEqual([
      { n: 2, ok: 1 },
      expect.objectContaining({ ok: 0, code: 59, codeName: 'CommandNotFound' }),
      { n: 5, ok: 1 },
    ]);
    expect(await mongo.client.db('fuzz').collection('docs').countDocuments()).toBe(5);
  });

  it('verifies OP_MSG checksums: a wrong one closes the connection without running the command', async () => {
    const bad = checksummed(opMsg(1, { insert: 'checked', $db: 'fuzz' }, { documents: [{ a: 1 }] }));
    bad.writeUInt32LE((bad.readUInt32LE(bad.length - 4) ^ 1) >>> 0, bad.length - 4);
    const after = opMsg(2, { ping: 1, $db: 'fuzz' });
    const { data, closedByServer } = await exchange(mongo.server.port, bad, after);
    expect(closedByServer).toBe(true);
    expect(replies(data)).toEqual([]);
    expect(await mongo.client.db('fuzz').collection('checked').countDocuments()).toBe(0);
  });

  it('enforces the 16 MiB document limit and closes connections that send oversized messages', async () => {
    const huge = { s: 'x'.repeat(16 * MiB) };
    const { data } = await exchange(
      mongo.server.port,
      opMsg(1, { insert: 'big', $db: 'fuzz', ordered: false }, { documents: [huge, { s: 'ok' }] }),
    );
    const [reply] = replies(data);
    expect(reply).toMatchObject({ n: 1, writeErrors: [{ index: 0, code: 10334 }] });
    const nine = 'y'.repeat(9 * MiB);
    await mongo.client
      .db('fuzz')
      .collection('big')
      .updateOne({ s: 'ok' }, { $set: { a: nine } });
    await expect(
      mongo.client
        .db('fuzz')
        .collection('big')
        .updateOne({ s: 'ok' }, { $set: { b: nine } }),
    ).rejects.toMatchObject({ code: 10334 });
    const claimsTooMuch = Buffer.alloc(16);
    claimsTooMuch.writeInt32LE(64 * MiB, 0);
    const closed = await exchange(mongo.server.port, claimsTooMuch, opMsg(2, { ping: 1, $db: 'admin' }));
    expect(closed.data.length).toBe(0);
  });

  it('survives random and mutated frames, closing only the offending connection', async () => {
    const random = mulberry32(20261125);
    const valid = [
      opMsg(1, { find: 'docs', filter: { a: { $gt: 0 } }, $db: 'fuzz' }),
      opMsg(1, { insert: 'docs', $db: 'fuzz' }, { documents: [{ a: 9, nested: { deep: [1, 2, { x: 'y' }] } }] }),
      opMsg(1, { update: 'docs', updates: [{ q: { a: 9 }, u: { $inc: { a: 1 } } }], $db: 'fuzz' }),
      opMsg(1, { aggregate: 'docs', pipeline: [{ $group: { _id: '$a', n: { $sum: 1 } } }], cursor: {}, $db: 'fuzz' }),
    ];
    const ping = opMsg(77, { ping: 1, $db: 'admin' });
    let answeredPings = 0;
    for (let i = 0; i < 400; i++) {
      let frame: Buffer;
      const mode = i % 4;
      if (mode === 0) {
        frame = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
      } else {
        frame = Buffer.from(valid[Math.floor(random() * valid.length)]);
        const flips = 1 + Math.floor(random() * 6);
        for (let f = 0; f < flips; f++) {
          // Keep the length header intact for most mutations so the body parser sees the damage.
          const at = mode === 3 ? Math.floor(random() * frame.length) : 16 + Math.floor(random() * (frame.length - 16));
          frame[at] = Math.floor(random() * 256);
        }
        if (mode === 2 && random() < 0.5) frame = frame.subarray(0, Math.floor(random() * frame.length));
      }
      const { data } = await exchange(mongo.server.port, frame, ping);
      if (replies(data).some((r) => r.ok === 1 && Object.keys(r).length === 1)) answeredPings++;
    }
    // Some mutations stay valid enough to be answered, many kill their connection; the server lives on.
    expect(answeredPings).toBeGreaterThan(20);
    expect(answeredPings).toBeLessThan(400);
    expect(await mongo.client.db('admin').command({ ping: 1 })).toEqual({ ok: 1 });
    expect(
      await mongo.client
        .db('fuzz')
        .collection('docs')
        .countDocuments({ a: { $gte: 1 } }),
    ).toBeGreaterThanOrEqual(5);
  });

  it('turns random well-framed commands into error replies, never a crash', async () => {
    const random = mulberry32(7);
    const names = [
      'find',
      'insert',
      'update',
      'delete',
      'aggregate',
      'findAndModify',
      'count',
      'distinct',
      'createIndexes',
      'getMore',
      'killCursors',
      'listIndexes',
      'dropIndexes',
      'create',
      'explain',
    ];
    const fields = [
      'filter',
      'documents',
      'updates',
      'deletes',
      'pipeline',
      'query',
      'update',
      'key',
      'indexes',
      'cursor',
      'sort',
      'projection',
      'limit',
      'batchSize',
      'index',
      'q',
      'u',
    ];
    const value = (depth: number): unknown => {
      const pick = Math.floor(random() * (depth > 3 ? 5 : 8));
      if (pick === 0) return Math.floor(random() * 200) - 100;
      if (pick === 1) return ['docs', '$a', 'a', '', '$gt', '*'][Math.floor(random() * 6)];
      if (pick === 2) return random() < 0.5;
      if (pick === 3) return null;
      if (pick === 4) return new Date(Math.floor(random() * 1e12));
      if (pick <= 6) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      const doc: Record<string, unknown> = {};
      for (let k = 0; k < 1 + random() * 3; k++) {
        doc[[...fields, '$gt', '$set', '$inc', '$match', '$group', 'a'][Math.floor(random() * (fields.length + 6))]] =
          value(depth + 1);
      }
      return doc;
    };
    const frames: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      const body: Record<string, unknown> = {
        [names[Math.floor(random() * names.length)]]: random() < 0.8 ? 'docs' : value(0),
        $db: 'fuzz',
      };
      for (let f = 0; f < random() * 4; f++) body[fields[Math.floor(random() * fields.length)]] = value(1);
      frames.push(opMsg(i, body));
    }
    const { data } = await exchange(mongo.server.port, ...frames);
    const answered = replies(data);
    expect(answered).toHaveLength(300);
    expect(answered.filter((r) => r.ok === 0).length).toBeGreaterThan(100);
    expect(await mongo.client.db('admin').command({ ping: 1 })).toEqual({ ok: 1 });
  });

  it('answers the legacy OP_QUERY handshake with OP_REPLY and refuses other OP_QUERY commands', async () => {
    const query = (requestId: number, doc: object) => {
      const ns = Buffer.from('admin.$cmd\0');
      const body = Buffer.concat([
        Buffer.alloc(4),
        ns,
        Buffer.from([0, 0, 0, 0, 255, 255, 255, 255]),
        Buffer.from(serialize(doc)),
      ]);
      const header = Buffer.alloc(16);
      header.writeInt32LE(16 + body.length, 0);
      header.writeInt32LE(requestId, 4);
      header.writeInt32LE(2004, 12);
      return Buffer.concat([header, body]);
    };
    const { data } = await exchange(mongo.server.port, query(5, { isMaster: 1 }), query(6, { find: 'docs' }));
    const first = data.readInt32LE(0);
    expect(data.readInt32LE(12)).toBe(1);
    expect(data.readInt32LE(8)).toBe(5);
    expect(deserialize(data.subarray(36, first))).toMatchObject({ ismaster: true, maxWireVersion: 21, ok: 1 });
    expect(deserialize(data.subarray(first + 36))).toMatchObject({ ok: 0, code: 352 });
  });
});
