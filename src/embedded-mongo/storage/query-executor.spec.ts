import fc from 'fast-check';
import { Long, serialize } from 'bson';
import { CursorRegistry } from '../cursors';
import { encodeOpMsg } from '../wire/messages';
import { Collection } from './collection';
import { RawDocument } from './document-map';
import { Doc } from './documents';
import { FindOptions, runFind } from './query-executor';

/** The BSON a result goes into a reply as: its stored bytes, or the encoded document. */
const replyBytes = (doc: Doc) => (doc instanceof RawDocument ? doc.bytes : Buffer.from(serialize(doc)));

const names = ['a', 'b', 'tags', 'sub', '1', '$x', 'é'];
const scalar = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('x', 'y', ''), fc.constant(null), fc.double());
const value = fc.oneof(
  scalar,
  fc.constant(undefined),
  fc.array(fc.oneof(scalar, fc.record({ c: scalar }, { noNullPrototype: true })), { maxLength: 3 }),
  fc.record({ c: scalar, d: fc.array(scalar, { maxLength: 2 }) }, { requiredKeys: [], noNullPrototype: true }),
);
const doc = fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 5, noNullPrototype: true });
const field = fc.constantFrom('a', 'b', 'tags', 'sub.c', '_id');
const filter = fc.oneof(
  fc.constant({}),
  fc.record({ f: field, v: scalar }).map(({ f, v }) => ({ [f]: v })),
  fc.record({ f: field, vs: fc.array(scalar, { maxLength: 4 }) }).map(({ f, vs }) => ({ [f]: { $in: vs } })),
  fc.record({ f: field, v: fc.integer({ min: -3, max: 3 }) }).map(({ f, v }) => ({ [f]: { $gte: v } })),
);
const flag = fc.constantFrom(0, 1, true, false);
const projection = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  fc.record({ _id: flag }),
  // (An inclusion of a field named as an array index is left out: its reply puts `_id` first, as MongoDB does,
  // where a decoded document has the index name first.)
  fc.record({ v: flag, id: fc.option(flag) }).chain(({ v, id }) =>
    fc.subarray(v ? ['a', 'b', 'tags', 'sub'] : ['a', 'b', 'tags', 'sub', '1']).map((listed) => {
      const out: Doc = Object.fromEntries(listed.map((name) => [name, v]));
      if (id !== null) out._id = id;
      return out;
    }),
  ),
  fc.constantFrom<Doc>(
    { 'sub.c': 0 },
    { 'sub.c': 1 },
    { tags: { $slice: 1 } },
    { tags: { $slice: [1, 1] }, a: 0 },
    { tags: { $elemMatch: { c: { $gte: 0 } } } },
    { a: 1, total: { $add: [1, 2] } },
  ),
);
const sortSpec = fc.oneof(fc.constant(undefined), fc.record({ f: field, d: fc.constantFrom(1, -1) }));

describe('a find for a reply', () => {
  it('gives the bytes the general path encodes: documents, order, projections, sort, skip, limit, batches', () => {
    fc.assert(
      fc.property(
        fc.array(doc, { maxLength: 12 }),
        filter,
        projection,
        sortSpec,
        fc.nat(3),
        fc.nat(4),
        fc.nat(4),
        (docs, filter, projection, sort, skip, limit, batchSize) => {
          const collection = new Collection('db', 'c');
          collection.addIndex({ name: 'a_1', key: { a: 1 } });
          for (const [i, fields] of docs.entries()) collection.insert({ _id: i % 3 === 0 ? `s${i}` : i, ...fields });
          const options: FindOptions = {
            filter,
            projection,
            sort: sort && { [sort.f]: sort.d, _id: 1 },
            skip,
            limit,
          };
          let general: Doc[];
          try {
            general = runFind(collection, options);
          } catch (error) {
            expect(() => runFind(collection, { ...options, forReply: true })).toThrow((error as Error).message);
            return;
          }
          const raw = runFind(collection, { ...options, forReply: true });
          expect(raw.map(replyBytes)).toEqual(general.map(replyBytes));
          // The first batch and the getMore after it are the same bytes on the wire.
          const replies = (found: Doc[]) => {
            const cursors = new CursorRegistry();
            const first = cursors.open('db.c', found, batchSize);
            const id = Number((first.cursor as { id: Long }).id);
            const next = id ? cursors.getMore(id, 'db.c', batchSize) : {};
            return [encodeOpMsg(1, 2, first), encodeOpMsg(1, 2, next)];
          };
          expect(replies(raw)).toEqual(replies(general));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('copies the stored bytes of whole documents and of every field an exclusion keeps', () => {
    const collection = new Collection('db', 'c');
    collection.insert({ _id: 1, a: 'x', b: { c: [1, 2] }, big: 'y'.repeat(100) });
    collection.insert({ _id: 2, 3: 'digit first', a: 'z' });
    const [whole] = runFind(collection, { filter: { _id: 1 }, forReply: true });
    expect(whole).toBeInstanceOf(RawDocument);
    expect(replyBytes(whole)).toEqual(
      Buffer.from(serialize({ _id: 1, a: 'x', b: { c: [1, 2] }, big: 'y'.repeat(100) })),
    );
    const [dropped] = runFind(collection, { filter: { _id: 1 }, projection: { _id: 0, big: 0 }, forReply: true });
    expect(replyBytes(dropped)).toEqual(Buffer.from(serialize({ a: 'x', b: { c: [1, 2] } })));
    // A field name JavaScript orders first: projected as a decoded document, not copied.
    const [digit] = runFind(collection, { filter: { _id: 2 }, forReply: true });
    expect(digit).not.toBeInstanceOf(RawDocument);
    expect(digit).toEqual({ _id: 2, 3: 'digit first', a: 'z' });
  });
});
