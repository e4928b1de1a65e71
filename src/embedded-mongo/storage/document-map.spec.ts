import fc from 'fast-check';
import { Binary, Decimal128, ObjectId, Timestamp, calculateObjectSize, serialize } from 'bson';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirectory } from '../persistence/data-directory';
import { encodePutRecord, encodeRecord } from '../persistence/record-format';
import { Collection } from './collection';
import { DocumentMap, encodeDocument, fieldNames, mergeUpdated, replyBytesOf } from './document-map';
import { Doc, idKeyOf } from './documents';
import { runFind } from './query-executor';
import { Store } from './store';

/** A document with a value of every kind the server stores, decoded as the wire decodes it. */
function everyKind(id: number): Doc {
  const doc: Doc = {
    _id: id,
    oid: new ObjectId('65a1b2c3d4e5f60718293a4b'),
    int: 7,
    long: 9007199254740993n,
    double: 1.5,
    decimal: Decimal128.fromString('10.25'),
    when: new Date(1_700_000_000_000),
    ts: new Timestamp({ t: 5, i: 1 }),
    bin: new Binary(Buffer.from([1, 2, 3]), 0),
    re: /ab+c/i,
    nothing: null,
    nested: { list: [1, 'two', { three: [3] }], empty: [] },
    $dollar: 'kept',
  };
  Object.defineProperty(doc, '__proto__', { value: { data: true }, enumerable: true, writable: true });
  return doc;
}

describe(DocumentMap.name, () => {
  it('gives back every value as it was stored, with its type', () => {
    const map = new DocumentMap();
    const doc = everyKind(1);
    map.set('1', doc);
    const read = map.get('1')!;
    expect(Buffer.from(serialize(read))).toEqual(Buffer.from(serialize(doc)));
    expect(read.long).toBe(9007199254740993n);
    expect((read.bin as Binary).buffer).toEqual(new Uint8Array([1, 2, 3]));
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(read, '__proto__')?.value).toEqual({ data: true });
    expect(map.byteLength('1')).toBe(calculateObjectSize(doc));
  });

  it('decodes only the fields asked for, each as a whole decode gives it, in document order', () => {
    const map = new DocumentMap();
    const doc = { ...everyKind(1), ünï: { deep: [new Binary(Buffer.from([4]), 0)] } };
    map.set('1', doc);
    const whole = map.get('1')!;
    const keys = Object.keys(whole);
    for (let mask = 1; mask < 1 << keys.length; mask += 97) {
      const chosen = keys.filter((_, i) => mask & (1 << i));
      const expected = Object.fromEntries(keys.filter((k) => chosen.includes(k)).map((k) => [k, whole[k]]));
      const partial = map.get('1', fieldNames([...chosen, 'absent']))!;
      expect(Object.keys(partial)).toEqual(Object.keys(expected));
      expect(Buffer.from(serialize(partial))).toEqual(Buffer.from(serialize(expected)));
    }
    expect([...map.values(fieldNames(['int']))]).toEqual([{ int: 7 }]);
  });

  it('attaches the stored elements of reply fields undecoded: _id first, then document order, undefined as null', () => {
    const map = new DocumentMap();
    const stored = Buffer.concat([
      // { a: 'x', _id: 1, u: undefined, b: { c: 2 } } as a client could have written it, undefined and all.
      Buffer.from(serialize({ a: 'x', _id: 1 })).subarray(0, -1),
      Buffer.from([0x06, 0x75, 0x00]),
      Buffer.from(serialize({ b: { c: 2 } })).subarray(4),
    ]);
    stored.writeInt32LE(stored.length, 0);
    map.set('1', {}, stored);
    const doc = map.get('1', fieldNames(['a'], ['b', 'u', '_id']))!;
    expect(doc).toEqual({ a: 'x' });
    expect(Object.keys(doc)).toEqual(['a']);
    expect(replyBytesOf(doc)).toEqual(Buffer.from(serialize({ _id: 1, u: null, b: { c: 2 } })));
    expect(replyBytesOf(map.get('1', fieldNames(['a']))!)).toBeUndefined();
  });

  it('gives a document’s stored bytes in place, the same as the copy', () => {
    const map = new DocumentMap();
    map.set('1', everyKind(1));
    map.set('2', { _id: 2, a: 1 });
    expect(map.storedBytes('1')).toEqual(map.bytes('1'));
    expect(map.storedBytes('2')).toEqual(encodeDocument({ _id: 2, a: 1 }));
    expect(map.storedBytes('3')).toBeUndefined();
  });

  it('gives each reader its own copy, so changing one changes neither the store nor other readers', () => {
    const map = new DocumentMap();
    map.set('1', { _id: 1, tags: ['a'], sub: { n: 1 }, bin: new Binary(Buffer.from([9]), 0) });
    const first = map.get('1')!;
    (first.tags as string[]).push('b');
    (first.sub as Doc).n = 2;
    (first.bin as Binary).buffer[0] = 0;
    expect(map.get('1')).toEqual({ _id: 1, tags: ['a'], sub: { n: 1 }, bin: new Binary(Buffer.from([9]), 0) });
  });

  it('keeps insertion order, and its walks see inserts and deletes made meanwhile', () => {
    const map = new DocumentMap();
    for (const id of [3, 1, 2]) map.set(String(id), { _id: id });
    const seen: unknown[] = [];
    for (const [id, doc] of map) {
      seen.push(doc._id);
      if (id === '3') {
        map.delete('1');
        map.set('4', { _id: 4 });
      }
    }
    expect(seen).toEqual([3, 2, 4]);
    expect([...map.keys()]).toEqual(['3', '2', '4']);
    expect(map.size).toBe(3);
    expect(map.has('1')).toBe(false);
    expect(map.get('1')).toBeUndefined();
  });

  it('keeps every document current through rewrites and deletes that move and release slabs', () => {
    const map = new DocumentMap();
    const expected = new Map<string, Doc>();
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 30_000; i++) {
      const id = String(Math.floor(random() * 3000));
      if (random() < 0.1) {
        expect(map.delete(id)).toBe(expected.delete(id));
        continue;
      }
      const doc = { _id: id, version: i, pad: 'x'.repeat(Math.floor(random() * 3000)) };
      map.set(id, doc);
      expected.set(id, doc);
      // Walks meanwhile see the current versions (a rewrite may have moved any document).
      if (i % 5000 === 0) expect(new Map(map.entries())).toEqual(expected);
    }
    // Larger than any slab, rewritten and then deleted.
    map.set('big', { _id: 'big', pad: 'y'.repeat(5 << 20) });
    map.set('big', { _id: 'big', pad: 'z'.repeat(6 << 20) });
    expect((map.get('big')!.pad as string).length).toBe(6 << 20);
    map.delete('big');
    expect([...map.keys()]).toEqual([...expected.keys()]);
    for (const [id, doc] of expected) {
      expect(map.get(id)).toEqual(doc);
      expect(map.byteLength(id)).toBe(calculateObjectSize(doc));
    }
    expect(map.size).toBe(expected.size);
  });
});

describe('mergeUpdated', () => {
  const names = ['a', 'b', 'long_name', 'é', 'c d', 'z'];
  const value = fc.oneof(
    fc.integer(),
    fc.string({ maxLength: 6 }),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.record({ x: fc.integer() }, { noNullPrototype: true }),
  );
  const fields = fc.dictionary(fc.constantFrom(...names), value, { maxKeys: names.length, noNullPrototype: true });

  it('encodes as the whole updated document would: _id first, stored order, touched fields replaced or dropped, new ones last', () => {
    fc.assert(
      fc.property(fields, fc.subarray(names), fields, (storedFields, touchedList, changes) => {
        const touched = new Set(touchedList);
        const stored = encodeDocument({ _id: 7, ...storedFields });
        // `next` holds only touched fields (and `_id`); a touched field it lacks was removed.
        const next: Doc = { _id: 7 };
        for (const [name, v] of Object.entries(changes)) if (touched.has(name)) next[name] = v;
        const whole: Doc = { _id: 7 };
        for (const [name, v] of Object.entries(storedFields)) {
          if (!touched.has(name)) whole[name] = v;
          else if (name in next) whole[name] = next[name];
        }
        for (const [name, v] of Object.entries(next)) if (!(name in whole) && !(name in storedFields)) whole[name] = v;
        const merged = mergeUpdated(stored, next, fieldNames(touched).decode);
        expect(merged).toEqual(encodeDocument(whole));
      }),
      { numRuns: 500 },
    );
  });
});

describe('Collection storing BSON bytes', () => {
  function events(): Collection {
    const collection = new Collection('db', 'events');
    collection.addIndex({ name: 'key_1', key: { key: 1 }, unique: true });
    collection.addIndex({ name: 'user_1_at_1', key: { user: 1, at: 1 } });
    return collection;
  }

  it('answers finds from stored bytes: filters, index order, projections', () => {
    const collection = events();
    const at = (n: number) => new Date(Date.UTC(2026, 0, n));
    for (const [i, user] of ['b', 'a', 'b', 'a', 'c'].entries()) {
      collection.insert({ _id: i, key: `k${i}`, user, at: at(10 - i), tags: [user, 'x'] });
    }
    expect(
      runFind(collection, {
        filter: { user: { $in: ['a', 'b'] } },
        sort: { user: 1, at: 1 },
        projection: { _id: 0, key: 1, at: 1 },
      }),
    ).toEqual([
      { key: 'k3', at: at(7) },
      { key: 'k1', at: at(9) },
      { key: 'k2', at: at(8) },
      { key: 'k0', at: at(10) },
    ]);
    expect(runFind(collection, { filter: { tags: 'c' } })).toEqual([
      { _id: 4, key: 'k4', user: 'c', at: at(6), tags: ['c', 'x'] },
    ]);
  });

  it('replaces, refuses duplicate unique keys without changing anything, and removes', () => {
    const collection = events();
    collection.insert({ _id: 1, key: 'a', user: 'u' });
    collection.insert({ _id: 2, key: 'b', user: 'u' });
    expect(() => collection.insert({ _id: 3, key: 'a' })).toThrow(/E11000/);
    expect(() => collection.replace(collection.docs.get(idKeyOf(2))!, { _id: 2, key: 'a' })).toThrow(/E11000/);
    expect(collection.docs.get(idKeyOf(2))).toEqual({ _id: 2, key: 'b', user: 'u' });
    collection.replace(collection.docs.get(idKeyOf(1))!, { _id: 1, key: 'c', user: 'v' });
    expect(runFind(collection, { filter: { key: 'c' } })).toEqual([{ _id: 1, key: 'c', user: 'v' }]);
    expect(runFind(collection, { filter: { key: 'a' } })).toEqual([]);
    collection.remove(collection.docs.get(idKeyOf(1))!);
    expect(collection.docs.size).toBe(1);
    expect(runFind(collection, { filter: { user: 'v' } })).toEqual([]);
    collection.insert({ _id: 3, key: 'c' });
    expect(collection.docs.size).toBe(2);
  });
});

describe('journal and snapshot records of stored documents', () => {
  it('frames a put around the stored bytes exactly as the record encoder writes it', () => {
    for (const doc of [{ _id: 1 }, everyKind(2), { _id: 'x', s: 'é'.repeat(300), a: [[], {}] }]) {
      expect(encodePutRecord('db', 'coll', encodeDocument(doc))).toEqual(
        encodeRecord({ op: 'put', db: 'db', coll: 'coll', doc }),
      );
    }
  });

  it('round-trips every kind of value, updated and deleted documents through a snapshot and the journal', async () => {
    const root = mkdtempSync(join(tmpdir(), 'embedded-mongo-bytes-'));
    try {
      const open = (store: Store) =>
        DataDirectory.open(root, store, {
          compactAfterBytes: Number.MAX_SAFE_INTEGER,
          onError: (m) => {
            throw new Error(m);
          },
        });
      const store = new Store();
      const data = open(store);
      const c = store.ensureCollection('db', 'c');
      store.createIndex(c, { name: 'int_1', key: { int: 1 } });
      for (let id = 1; id <= 4; id++) store.insert(c, everyKind(id));
      store.replace(c, c.docs.get(idKeyOf(2))!, { ...everyKind(2), int: 8 });
      store.remove(c, c.docs.get(idKeyOf(3))!);
      data.commit();
      data.compact();
      store.replace(c, c.docs.get(idKeyOf(4))!, { _id: 4, int: 9 });
      data.commit();
      await data.close();
      const recovered = new Store();
      await open(recovered).close();
      const rc = recovered.collection('db', 'c')!;
      expect([...rc.docs.encodedEntries()]).toEqual([...c.docs.encodedEntries()]);
      expect(runFind(rc, { filter: { int: { $gte: 8 } }, projection: { int: 1 } })).toEqual([
        { _id: 2, int: 8 },
        { _id: 4, int: 9 },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
