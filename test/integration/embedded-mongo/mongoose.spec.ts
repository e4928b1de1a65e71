import mongoose, { Schema, Types } from 'mongoose';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { startTestMongo } from '../../setup/mongo';

interface Author {
  handle: string;
  joinedAt: Date;
}
interface Post {
  title: string;
  author: Types.ObjectId;
  tags: string[];
  likes: number;
  meta: Record<string, unknown>;
  body?: string;
}

describe('embedded mongo with mongoose', () => {
  let server: EmbeddedMongo;
  let connection: mongoose.Connection;
  let AuthorModel: mongoose.Model<Author>;
  let PostModel: mongoose.Model<Post>;

  beforeAll(async () => {
    server = await startTestMongo();
    connection = await mongoose.createConnection(server.uri, { dbName: 'blog' }).asPromise();
    AuthorModel = connection.model<Author>(
      'Author',
      new Schema<Author>({ handle: { type: String, unique: true, required: true }, joinedAt: Date }),
    );
    const postSchema = new Schema<Post>({
      title: { type: String, index: true },
      author: { type: Schema.Types.ObjectId, ref: 'Author' },
      tags: [String],
      likes: { type: Number, default: 0 },
      meta: { type: Schema.Types.Mixed, default: {} },
      body: String,
    });
    postSchema.index({ author: 1, likes: -1 });
    PostModel = connection.model<Post>('Post', postSchema);
    await Promise.all([AuthorModel.init(), PostModel.init()]);
  });

  afterAll(async () => {
    await connection.close();
    await server.stop();
  });

  it('populates references and returns real ObjectId and Date values from lean queries', async () => {
    const ada = await AuthorModel.create({ handle: 'ada', joinedAt: new Date('2026-01-02T03:04:05Z') });
    await PostModel.create({ title: 'Hello', author: ada._id, tags: ['intro'] });
    const post = await PostModel.findOne({ title: 'Hello' }).populate<{ author: Author }>('author').lean();
    expect(post?.author.handle).toBe('ada');
    const lean = await AuthorModel.findById(ada._id).lean();
    expect(lean?._id).toBeInstanceOf(Types.ObjectId);
    expect(lean?.joinedAt).toEqual(new Date('2026-01-02T03:04:05Z'));
    expect(await AuthorModel.exists({ handle: 'ada' })).toMatchObject({ _id: ada._id });
    expect(await PostModel.find({ title: /^hel/i, createdAt: { $exists: false } }).countDocuments()).toBe(1);
  });

  it('runs findOneAndUpdate, findOneAndReplace and findOneAndDelete variants', async () => {
    const author = await AuthorModel.create({ handle: 'bo' });
    const created = await PostModel.findOneAndUpdate(
      { title: 'Upserted' },
      { $set: { author: author._id } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(created).toMatchObject({ title: 'Upserted', likes: 0, __v: 0 });
    const before = await PostModel.findOneAndUpdate({ title: 'Upserted' }, { $inc: { likes: 5 } });
    expect(before?.likes).toBe(0);
    const raw = await PostModel.findOneAndUpdate(
      { title: 'Upserted' },
      { $push: { tags: 'x' } },
      { returnDocument: 'after', includeResultMetadata: true },
    );
    expect(raw.lastErrorObject?.updatedExisting).toBe(true);
    expect(raw.value?.tags).toEqual(['x']);
    const replaced = await PostModel.findOneAndReplace(
      { title: 'Upserted' },
      { title: 'Replaced', author: author._id, tags: [], likes: 1 },
      { returnDocument: 'after' },
    );
    expect(replaced).toMatchObject({ title: 'Replaced', likes: 1 });
    expect(await PostModel.findByIdAndDelete(replaced!._id)).toMatchObject({ title: 'Replaced' });
    expect(await PostModel.findOneAndDelete({ title: 'Replaced' })).toBeNull();
    await expect(AuthorModel.findOneAndUpdate({ handle: 'bo' }, { handle: 'ada' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { handle: 'ada' },
    });
  });

  it('applies bulkWrite, pipeline updates, Mixed changes with save, and cursors over many documents', async () => {
    const author = await AuthorModel.create({ handle: 'cy' });
    await PostModel.insertMany(
      Array.from({ length: 260 }, (_, i) => ({ title: `bulk-${i}`, author: author._id, likes: i })),
    );
    const result = await PostModel.bulkWrite([
      { insertOne: { document: { title: 'bw-new', author: author._id, tags: [], likes: 0, meta: {} } } },
      { updateOne: { filter: { title: 'bulk-1' }, update: { $set: { likes: 1000 } } } },
      {
        updateMany: {
          filter: { author: author._id, likes: { $lt: 10 } },
          update: { $addToSet: { tags: { $each: ['low', 'low'] } } },
        },
      },
      {
        replaceOne: {
          filter: { title: 'bulk-2' },
          replacement: { title: 'bulk-2b', author: author._id, tags: [], likes: 2, meta: {} },
        },
      },
      { deleteOne: { filter: { title: 'bulk-3' } } },
      { updateOne: { filter: { title: 'bw-upsert' }, update: { $set: { likes: 7 } }, upsert: true } },
    ]);
    expect(result).toMatchObject({
      insertedCount: 1,
      matchedCount: 12,
      modifiedCount: 12,
      deletedCount: 1,
      upsertedCount: 1,
    });
    expect((await PostModel.findOne({ title: 'bulk-4' }).lean())?.tags).toEqual(['low']);

    await PostModel.updateMany(
      { author: author._id, likes: { $gte: 250 } },
      [{ $set: { likes: { $add: ['$likes', 1] } } }],
      { updatePipeline: true },
    );
    expect((await PostModel.findOne({ title: 'bulk-259' }).lean())?.likes).toBe(260);

    const doc = await PostModel.findOne({ title: 'bulk-5' });
    doc!.meta.views = 3;
    doc!.markModified('meta');
    await doc!.save();
    expect((await PostModel.findOne({ title: 'bulk-5' }).lean())?.meta).toEqual({ views: 3 });

    let seen = 0;
    for await (const _post of PostModel.find({ author: author._id }).sort({ likes: -1 }).cursor()) seen++;
    expect(seen).toBe(260);
    const top = await PostModel.find({ author: author._id }).sort({ likes: -1 }).limit(3).select('title -_id').lean();
    expect(top).toEqual([{ title: 'bulk-1' }, { title: 'bulk-259' }, { title: 'bulk-258' }]);
  });

  it('round-trips a 5 MB document and syncs indexes', async () => {
    const author = await AuthorModel.create({ handle: 'dee' });
    const body = 'z'.repeat(5 * 1024 * 1024);
    const { _id } = await PostModel.create({ title: 'big', author: author._id, body });
    expect((await PostModel.findById(_id).lean())?.body?.length).toBe(body.length);
    const dropped = await PostModel.syncIndexes();
    expect(dropped).toEqual([]);
    const names = (await PostModel.listIndexes()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'author_1_likes_-1', 'title_1']);
  });

  it('fails loudly on transactions, as a standalone MongoDB does', async () => {
    const session = await connection.startSession();
    try {
      await expect(session.withTransaction(() => AuthorModel.create([{ handle: 'tx' }], { session }))).rejects.toThrow(
        /retryable writes|Transaction numbers/,
      );
    } finally {
      await session.endSession();
    }
    expect(await AuthorModel.exists({ handle: 'tx' })).toBeNull();
  });

  it('updates a subdocument through the positional operator with subdocument timestamps', async () => {
    const Family = connection.model(
      'Family',
      new Schema({
        name: String,
        children: [new Schema({ name: String, role: String }, { timestamps: true })],
      }),
    );
    const family = await Family.create({
      name: 'f',
      children: [
        { name: 'ann', role: 'kid' },
        { name: 'bob', role: 'kid' },
      ],
    });
    const bob = family.children[1];
    await new Promise((resolve) => setTimeout(resolve, 5));
    // mongoose adds children.$.updatedAt beside children.$.name: sibling paths under one positional.
    const result = await Family.updateOne(
      { _id: family._id, 'children._id': bob._id },
      { $set: { 'children.$.name': 'bo' } },
    );
    expect(result.modifiedCount).toBe(1);
    const stored = await Family.findById(family._id).lean();
    expect(stored!.children.map((c) => c.name)).toEqual(['ann', 'bo']);
    expect(stored!.children[0].updatedAt).toEqual(family.children[0].updatedAt);
    expect(stored!.children[1].updatedAt.getTime()).toBeGreaterThan(bob.updatedAt.getTime());
    // Document-array pull: mongoose sends the removed subdocuments as a $pull with $or.
    const loaded = await Family.findById(family._id);
    loaded!.children.pull({ _id: family.children[0]._id });
    await loaded!.save();
    expect((await Family.findById(family._id).lean())!.children.map((c) => c.name)).toEqual(['bo']);
    const [projected] = await Family.find({ 'children.name': 'bo' }).select({ 'children.$': 1 }).lean();
    expect(projected.children.map((c) => c.name)).toEqual(['bo']);
  });

  it('stores BigInt fields as 64-bit integers and reads them back exactly', async () => {
    const Counter = connection.model('Counter', new Schema({ key: String, value: BigInt }));
    await Counter.create({ key: 'big', value: 9007199254740993n });
    expect((await Counter.findOne({ key: 'big' }))!.value).toBe(9007199254740993n);
    await Counter.updateOne({ key: 'big' }, { $inc: { value: 2 } });
    expect((await Counter.findOne({ value: { $gt: 9007199254740993n } }))!.value).toBe(9007199254740995n);
  });
});
