import { Connection, createConnection, Model } from 'mongoose';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { AudienceFactsRepository } from '../../../src/modules/audience/audience-facts.repository';
import { AudienceFactsRecord, AudienceFactsSchema } from '../../../src/modules/audience/audience-facts.schema';
import { journeyFactsOf, tagsMatching } from '../../../src/modules/audience/domain/audience-facts';
import { assessJourneySafety } from '../../../src/modules/journeys/domain/journey-safety';
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

  it('leaves out a journey holding a withheld term as a whole word or phrase of its name or a keyword', async () => {
    const policy = { blockedTerms: [], sensitiveCategories: { health: ['eating disorder', 'rehab'] } };
    const journeys = {
      'eating-disorder': { name: 'Recovery', keywords: [{ text: 'eating disorder recovery' }] },
      rehab: { name: 'Rehab Centers', keywords: [{ text: 'centers' }] },
      'rehab-accented': { name: 'Réhab', keywords: [{ text: 'réhab' }] },
      'eating-out': { name: 'Eating Out', keywords: [{ text: 'eating out' }, { text: 'disorder' }] },
      rehabilitation: { name: 'Rehabilitation', keywords: [{ text: 'rehabilitation' }] },
    };
    for (const [userId, journey] of Object.entries(journeys)) {
      // Facts stored as a build under a policy without the category wrote them: not sensitive.
      const stored = { ...journey, id: userId, stage: 'ongoing', type: 'evergreen', confidence: 0.9 } as const;
      await repository.recordJourneys(
        `w-${userId}`,
        journeyFactsOf([{ ...stored, sensitiveCategories: [] }]),
        new Date(),
      );
    }
    const journey = { tags: tagsMatching({ allowSensitive: false }), at: new Date(), allowSensitive: false };
    const selected = async (withheld?: string[]) =>
      (await repository.findUserIdsAfter({ journey: { ...journey, withheld } }, 'w-', 10)).filter((id) =>
        id.startsWith('w-'),
      );
    expect(await selected()).toEqual([
      'w-eating-disorder',
      'w-eating-out',
      'w-rehab',
      'w-rehab-accented',
      'w-rehabilitation',
    ]);
    // The same journeys as the policy's own assessment keeps notifiable.
    const notifiable = Object.entries(journeys)
      .filter(([, j]) => assessJourneySafety(j, policy).sensitiveCategories.length === 0)
      .map(([userId]) => `w-${userId}`)
      .sort();
    expect(notifiable).toEqual(['w-eating-out', 'w-rehabilitation']);
    expect(await selected(['eating disorder', 'rehab'])).toEqual(notifiable);
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
