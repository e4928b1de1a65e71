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
  it('keeps a category a user left before their profile was written, so estimates count them out', async () => {
    // The product's preference center may report a choice before the profile is sent (PUT .../unsubscribes/*).
    await repository.recordUnsubscribe('early', '*', true);
    await repository.recordUnsubscribe('early', 'weekly', true);
    await repository.recordUnsubscribe('early', 'weekly', false);
    await repository.recordUnsubscribe('never-left', 'weekly', false);
    expect(await model.collection.findOne({ userId: 'never-left' })).toBeNull();
    // Counted in no campaign audience until a profile gives consent.
    expect(await stored('early')).toMatchObject({
      unsubscribed: ['*'],
      consent: { email: false, push: false },
      reachable: { email: false, push: false },
      localeTags: ['-'],
      journeys: [],
    });
    await repository.recordProfile({
      userId: 'early',
      email: 'e@example.com',
      pushTokens: [],
      attributes: {},
      consent: { email: true, push: false },
    });
    expect(await stored('early')).toMatchObject({ unsubscribed: ['*'], consent: { email: true, push: false } });
    const consenting = await repository.count({ consentFor: 'email' });
    expect(await repository.count({ consentFor: 'email', notUnsubscribedFrom: ['*', 'digest'] })).toBe(consenting - 1);
  });

  it('retags, once, users whose locale tags were stored under an earlier rule', async () => {
    const old = (userId: string, locale: string | null, localeTags: string[]) => ({
      userId,
      locale,
      localeTags,
      sampleKey: 0.5,
    });
    await model.collection.insertMany([
      old('old-zh-tw', 'zh-TW', ['zh-tw', 'zh']),
      old('old-zh', 'zh', ['zh']),
      old('old-en', 'en', ['en']),
      old('old-none', null, ['-']),
    ]);
    await repository.recordProfile({
      userId: 'new-fr',
      pushTokens: [],
      locale: 'fr-CA',
      attributes: {},
      consent: { email: true, push: false },
    });
    const tags = async (userId: string) => (await model.collection.findOne({ userId }))!.localeTags as string[];

    expect(await repository.refreshLocaleTags()).toBe(3);
    expect(await tags('old-zh-tw')).toEqual(['zh-tw', 'zh-hant-tw', 'zh-hant', 'zh']);
    expect(await tags('old-zh')).toEqual(['zh-hans', 'zh']);
    expect(await tags('old-en')).toEqual(['en-latn', 'en']);
    expect(await tags('old-none')).toEqual(['-']);
    expect(await tags('new-fr')).toEqual(['fr-ca', 'fr-latn-ca', 'fr-latn', 'fr']);
    // A campaign for zh-Hant now reaches the zh-TW user saved under the earlier rule, and only them.
    const hant = await model.collection.find({ localeTags: { $in: ['zh-hant'] } }).toArray();
    expect(hant.map((d) => d.userId)).toEqual(['old-zh-tw']);

    // Done for this rule: a later start looks no further, even at tags stored the old way since.
    await model.collection.insertOne(old('late-zh-tw', 'zh-TW', ['zh-tw', 'zh']));
    expect(await repository.refreshLocaleTags()).toBe(0);
    expect(await tags('late-zh-tw')).toEqual(['zh-tw', 'zh']);
  });
});
