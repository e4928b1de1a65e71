import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { Model } from 'mongoose';
import { MODEL_CHUNK_BYTES, ModelRepository } from '../../../src/common/model-store/model.repository';
import { ModelStoreModule } from '../../../src/common/model-store/model-store.module';
import { ModelChunkRecord } from '../../../src/common/model-store/stored-model.schema';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { startTestMongo } from '../../setup/mongo';

describe(ModelRepository.name, () => {
  let mongo: EmbeddedMongo;
  let moduleRef: TestingModule;
  let sut: ModelRepository;

  beforeAll(async () => {
    mongo = await startTestMongo();
    moduleRef = await Test.createTestingModule({
      imports: [MongooseModule.forRoot(mongo.uri, { dbName: 'model-store' }), ModelStoreModule],
    }).compile();
    await moduleRef.init();
    sut = moduleRef.get(ModelRepository);
  });

  afterAll(async () => {
    await moduleRef.close();
    await mongo.stop();
  });

  it('round-trips a payload larger than one chunk and returns the latest complete version', async () => {
    const big = randomBytes(MODEL_CHUNK_BYTES * 2 + 123);
    await sut.save('embedder', 'v1', big, { vocabulary: 10 });
    await sut.save('embedder', 'v2', Buffer.from('small'), { vocabulary: 2 });
    const v1 = await sut.findVersion('embedder', 'v1');
    expect(v1?.payload.equals(big)).toBe(true);
    expect(v1?.meta).toEqual({ vocabulary: 10 });
    expect((await sut.findLatest('embedder'))?.version).toBe('v2');
    expect((await sut.listVersions('embedder')).map((m) => m.version)).toEqual(['v2', 'v1']);
    expect(await sut.findLatest('ranker')).toBeUndefined();
  });

  it('is idempotent for the same bytes and refuses different bytes under one version', async () => {
    await sut.save('ranker', 'r1', Buffer.from('weights'));
    await sut.save('ranker', 'r1', Buffer.from('weights'));
    await expect(sut.save('ranker', 'r1', Buffer.from('other'))).rejects.toThrow(/already exists/);
  });

  it('lets processes save the same version at once, and replaces a larger incomplete attempt', async () => {
    const big = randomBytes(MODEL_CHUNK_BYTES * 2 + 5);
    await Promise.all([1, 2, 3].map(() => sut.save('embedder', 'same', big)));
    expect((await sut.findVersion('embedder', 'same'))?.payload.equals(big)).toBe(true);

    // An attempt that stopped after writing three chunks, then a smaller save of the same version.
    const chunks = moduleRef.get<Model<ModelChunkRecord>>(getModelToken(ModelChunkRecord.name));
    await chunks.insertMany(
      [0, 1, 2].map((n) => ({ kind: 'embedder', version: 'retry', n, data: Buffer.from('old') })),
    );
    await sut.save('embedder', 'retry', Buffer.from('new model'));
    expect((await sut.findVersion('embedder', 'retry'))?.payload.toString()).toBe('new model');
    expect(await chunks.countDocuments({ kind: 'embedder', version: 'retry' })).toBe(1);
  });

  it('detects a corrupted chunk instead of returning a wrong model', async () => {
    await sut.save('embedder', 'bad', Buffer.from('some model bytes'));
    const chunks = moduleRef.get<Model<ModelChunkRecord>>(getModelToken(ModelChunkRecord.name));
    await chunks.updateOne({ kind: 'embedder', version: 'bad' }, { $set: { data: Buffer.from('tampered') } });
    await expect(sut.findVersion('embedder', 'bad')).rejects.toThrow(/corrupt/);
  });
});
