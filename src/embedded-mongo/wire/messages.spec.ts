import fc from 'fast-check';
import { Long, deserialize, serialize } from 'bson';
import { RawDocument } from '../storage/document-map';
import { Doc } from '../storage/documents';
import { encodeOpMsg } from './messages';

const raw = (doc: Doc) => new RawDocument(Buffer.from(serialize(doc)));

const scalar = fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), fc.boolean());
const doc = fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.oneof(scalar, fc.array(scalar)), {
  maxKeys: 4,
  noNullPrototype: true,
});

describe('encodeOpMsg', () => {
  it('encodes a reply holding stored documents as the same reply with those documents decoded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(doc, fc.boolean()), { maxLength: 8 }),
        fc.string({ maxLength: 8 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer(),
        fc.integer(),
        (batch, ns, id, requestId, responseTo) => {
          const reply = (asRaw: boolean) => ({
            cursor: { firstBatch: batch.map(([d, r]) => (asRaw && r ? raw(d) : d)), id: Long.fromNumber(id), ns },
            extra: { nested: [asRaw ? raw({ a: 1 }) : { a: 1 }, 'x'] },
            ok: 1,
          });
          expect(encodeOpMsg(requestId, responseTo, reply(true))).toEqual(
            encodeOpMsg(requestId, responseTo, reply(false)),
          );
        },
      ),
    );
  });

  it('names the documents of a batch longer than the names made in advance', () => {
    const docs = Array.from({ length: 1100 }, (_, i) => ({ _id: i }));
    const message = encodeOpMsg(1, 2, {
      cursor: { nextBatch: docs.map(raw), id: Long.fromNumber(0), ns: 'd.c' },
      ok: 1,
    });
    expect(message.readInt32LE(0)).toBe(message.length);
    expect(message.subarray(4, 21)).toEqual(Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 0xdd, 7, 0, 0, 0, 0, 0, 0, 0]));
    expect(deserialize(message.subarray(21)).cursor.nextBatch).toEqual(docs);
    expect(message).toEqual(
      encodeOpMsg(1, 2, { cursor: { nextBatch: docs, id: Long.fromNumber(0), ns: 'd.c' }, ok: 1 }),
    );
  });
});
