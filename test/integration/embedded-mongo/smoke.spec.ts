import mongoose, { Schema } from 'mongoose';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { startTestMongo } from '../../setup/mongo';

interface Account {
  email: string;
  name: string;
  visits: number;
}

describe('embedded mongo smoke (mongoose)', () => {
  let server: EmbeddedMongo;
  let connection: mongoose.Connection;

  beforeAll(async () => {
    server = await startTestMongo();
    connection = await mongoose.createConnection(server.uri, { dbName: 'smoke' }).asPromise();
  });

  afterAll(async () => {
    await connection.close();
    await server.stop();
  });

  it('connects, creates indexes and round-trips documents', async () => {
    const AccountModel = connection.model<Account>(
      'Account',
      new Schema<Account>({
        email: { type: String, unique: true },
        name: String,
        visits: { type: Number, default: 0 },
      }),
    );
    await AccountModel.init();
    await AccountModel.create({ email: 'a@example.com', name: 'Ada' });
    await AccountModel.insertMany([
      { email: 'b@example.com', name: 'Bo' },
      { email: 'c@example.com', name: 'Cy' },
    ]);
    await AccountModel.updateOne({ email: 'a@example.com' }, { $inc: { visits: 2 } });
    const ada = await AccountModel.findOne({ email: 'a@example.com' }).lean();
    expect(ada).toMatchObject({ name: 'Ada', visits: 2 });
    await expect(AccountModel.create({ email: 'a@example.com', name: 'Dup' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: 'a@example.com' },
    });
    const upserted = await AccountModel.findOneAndUpdate(
      { email: 'd@example.com' },
      { $set: { name: 'Di' } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(upserted).toMatchObject({ email: 'd@example.com', name: 'Di', __v: 0 });
    expect(await AccountModel.countDocuments()).toBe(4);
    const byName = await AccountModel.aggregate<{ _id: string; n: number }>([
      { $group: { _id: null, n: { $sum: '$visits' } } },
    ]);
    expect(byName).toEqual([{ _id: null, n: 2 }]);
    expect((await AccountModel.distinct('name')).sort()).toEqual(['Ada', 'Bo', 'Cy', 'Di']);
    const indexes = await AccountModel.listIndexes();
    expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'email_1']);
    await AccountModel.deleteMany({ visits: 0 });
    expect(await AccountModel.estimatedDocumentCount()).toBe(1);
  });
});
