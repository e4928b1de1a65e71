import { Connection, createConnection, Model } from 'mongoose';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { AudienceFactsRepository } from '../../../src/modules/audience/audience-facts.repository';
import { AudienceFactsRecord, AudienceFactsSchema } from '../../../src/modules/audience/audience-facts.schema';
import { startTestMongo } from '../../setup/mongo';

const FACTS = {
  journeys: [{ id: 'j1', stage: 'planning', type: 'project', confidence: 0.8, sensitive: false, terms: ['garden'] }],
  journeyTags: ['planning:project:high'],
} as never;

describe('audience facts: journey facts written through the driver', () => {
  let server: EmbeddedMongo;
  let connection: Connection;
  let model: Model<AudienceFactsRecord>;
  let repository: AudienceFactsRepository;

  beforeAll(async () => {
    server = await startTestMongo();
    connection = await createConnection(`${server.uri}audience_facts_spec`).asPromise();
    model = connection.model(AudienceFactsRecord.name, AudienceFactsSchema);
    await model.init();
    repository = new AudienceFactsRepository(model);
  });

  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  const stored = async (userId: string) => {
    const { _id, sampleKey, ...rest } = (await model.collection.findOne({ userId }))!;
    expect(typeof sampleKey).toBe('number');
    return rest;
  };

  it('gives a user without facts the same document a mongoose upsert would', async () => {
    const builtAt = new Date('2026-03-01T12:00:00Z');
    await repository.recordJourneysMany([{ userId: 'new-user', facts: FACTS }], builtAt);
    // The reference: the same write cast by mongoose, defaults on insert included.
    const { journeys, journeyTags } = FACTS as { journeys: unknown[]; journeyTags: string[] };
    await model.bulkWrite([
      {
        updateOne: {
          filter: { userId: 'reference' },
          update: { $set: { journeys, journeyTags, journeysBuiltAt: builtAt }, $setOnInsert: { sampleKey: 0.5 } },
          upsert: true,
        },
      },
    ] as never);
    expect(await stored('new-user')).toEqual({ ...(await stored('reference')), userId: 'new-user' });
    expect(await stored('new-user')).toMatchObject({
      consent: { email: false, push: false },
      localeTags: ['-'],
      journeys,
    });
  });

  it('keeps what a user already has and replaces only the journey facts', async () => {
    await repository.recordProfile({
      userId: 'known',
      email: 'a@example.com',
      pushTokens: [],
      locale: 'fr-FR',
      attributes: { plan: 'pro' },
      consent: { email: true, push: false },
    });
    const sampleKey = (await model.collection.findOne({ userId: 'known' }))!.sampleKey as number;
    await repository.recordJourneysMany([{ userId: 'known', facts: FACTS }], new Date());
    const doc = (await model.collection.findOne({ userId: 'known' }))!;
    expect(doc).toMatchObject({ consent: { email: true, push: false }, attributes: { plan: 'pro' }, sampleKey });
    expect(doc.journeyTags).toEqual(['planning:project:high']);
  });
});
