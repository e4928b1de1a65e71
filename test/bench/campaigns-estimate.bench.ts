/**
 * `npm run bench -- campaigns-estimate`: audience estimates of the two example campaigns on BENCH_USERS
 * (default 1M) users' audience facts in the embedded server, exact and sampled, next to two baselines
 * measured in the same run: a raw indexed count of the same collection (the floor an estimate's counts
 * stand on) and a raw insert of 10,000 facts (how fast this machine is right now).
 */
import { ConfigService } from '@nestjs/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { EmbeddedMongo } from '../../src/embedded-mongo';
import { seededRandom } from '../../src/modules/ranking/domain/testing/journeys.fixture';
import { AudienceFactsRepository } from '../../src/modules/audience/audience-facts.repository';
import { AudienceFactsRecord, AudienceFactsSchema } from '../../src/modules/audience/audience-facts.schema';
import { journeyFactsOf, localeTags } from '../../src/modules/audience/domain/audience-facts';
import { AudienceEstimateService } from '../../src/modules/campaigns/audience-estimate.service';
import { loadDefinition } from '../../src/modules/campaigns/domain/load-definition';
import { figureText } from '../../src/modules/campaigns/domain/estimate-sample';

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const BATCH = 10_000;
const SAMPLE_SIZE = Number(process.env.BENCH_SAMPLE_SIZE ?? 20_000);
const DAY_MS = 86_400_000;
const LOCALES = ['en-US', 'en-GB', 'fr-FR', 'fr-CA', 'de-DE', 'es-ES', undefined];
const WORDS = Array.from({ length: 400 }, (_, i) => `topic${i}`);

function userFacts(i: number, random: () => number, now: number, keys = random): Record<string, unknown> {
  const locale = LOCALES[Math.floor(random() * LOCALES.length)];
  const journeys = Array.from({ length: Math.floor(random() * 4) }, (_, j) => {
    const word = WORDS[Math.floor(random() * WORDS.length)];
    return {
      id: `j${j}`,
      name: `${word} plan`,
      keywords: [{ text: `${word} plan` }, { text: WORDS[Math.floor(random() * WORDS.length)] }],
      stage: random() < 0.6 ? ('ongoing' as const) : ('ended' as const),
      type: random() < 0.5 ? ('situational' as const) : ('evergreen' as const),
      confidence: Math.round(random() * 100) / 100,
      sensitiveCategories: random() < 0.03 ? ['health'] : [],
    };
  });
  return {
    userId: `u${i}`,
    consent: { email: random() < 0.7, push: random() < 0.6 },
    reachable: { email: random() < 0.95, push: random() < 0.85 },
    locale,
    localeTags: localeTags(locale),
    attributes: { plan: random() < 0.2 ? 'pro' : 'free' },
    lastActiveAt: new Date(now - random() * 120 * DAY_MS),
    ...journeyFactsOf(journeys),
    // Stored keys are Math.random() drawn apart from every other fact: a stream of their own, as here.
    sampleKey: keys(),
  };
}

async function timed<T>(fn: () => Promise<T>, runs = 3): Promise<{ value: T; ms: number }> {
  let best = Infinity;
  let value!: T;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    value = await fn();
    best = Math.min(best, performance.now() - started);
  }
  return { value, ms: best };
}

export async function run(): Promise<void> {
  const server = await EmbeddedMongo.start();
  const connection = await mongoose.createConnection(`${server.uri}bench_estimate`).asPromise();
  try {
    const model = connection.model(AudienceFactsRecord.name, AudienceFactsSchema);
    await model.syncIndexes();
    const random = seededRandom(7);
    const keys = seededRandom(1007);
    const now = Date.now();
    const started = performance.now();
    for (let from = 0; from < USERS; from += BATCH) {
      const docs = Array.from({ length: Math.min(BATCH, USERS - from) }, (_, k) =>
        userFacts(from + k, random, now, keys),
      );
      await model.collection.insertMany(docs, { ordered: false });
    }
    const insertMs = performance.now() - started;
    console.log(`${USERS} users' audience facts inserted in ${(insertMs / 1000).toFixed(1)} s`);
    const insert = await timed(async () => {
      const docs = Array.from({ length: 10_000 }, (_, k) => userFacts(USERS + k, random, now));
      await model.collection.insertMany(docs, { ordered: false });
      await model.collection.deleteMany({ userId: { $in: docs.map((d) => d.userId) } });
    }, 1);
    const repository = new AudienceFactsRepository(model as unknown as mongoose.Model<AudienceFactsRecord>);
    const service = (exactUpTo: number) =>
      new AudienceEstimateService(
        repository,
        new ConfigService({
          journeys: { notifySensitive: false, blockedTerms: [] },
          campaigns: { estimateExactUpTo: exactUpTo, estimateSampleSize: SAMPLE_SIZE },
        }) as ConfigService as never,
      );
    const baseline = await timed(() =>
      model.countDocuments({ 'consent.push': true, lastActiveAt: { $gte: new Date(now - 30 * DAY_MS) } }),
    );
    console.log(
      `baseline: raw indexed count (push consent, active 30 days) ${baseline.value} users in ${baseline.ms.toFixed(0)} ms`,
    );
    console.log(`baseline: raw insert (and delete) of 10,000 facts in ${insert.ms.toFixed(0)} ms`);
    const ratios = (ms: number) =>
      `${(ms / baseline.ms).toFixed(2)}x the count, ${(ms / insert.ms).toFixed(2)}x the 10k insert`;
    for (const name of ['ongoing-journey-push', 'weekly-journeys-digest']) {
      const file = join(__dirname, '..', '..', 'campaigns', `${name}.yaml`);
      const loaded = loadDefinition(file, readFileSync(file, 'utf8'));
      if (!loaded.ok) throw new Error(`${name} does not load`);
      const exact = await timed(() => service(0).estimate(loaded.definition, new Date(now), { exact: true }));
      const e = exact.value;
      console.log(
        `estimate ${name} exact: ${e.total} users (ongoing ${e.byStage.ongoing}, without consent ${e.byConsent.withoutConsent}, ${e.byLocale.length} locales) in ${exact.ms.toFixed(0)} ms = ${ratios(exact.ms)}`,
      );
      const sampled = await timed(() => service(0).estimate(loaded.definition, new Date(now)));
      const s = sampled.value;
      const within = s.intervals!.total.low <= e.total && e.total <= s.intervals!.total.high;
      console.log(
        `estimate ${name} sampled (${s.sample!.size} of ${s.sample!.population}): ${figureText(s.total, s.intervals!.total)} users, exact ${within ? 'within' : 'OUTSIDE'} the interval, in ${sampled.ms.toFixed(0)} ms = ${ratios(sampled.ms)}`,
      );
    }
  } finally {
    await connection.close();
    await server.stop();
  }
}
