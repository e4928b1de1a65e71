/**
 * `npm run bench -- campaigns-estimate`: audience estimates of the two example campaigns on BENCH_USERS
 * (default 1M) users' audience facts in the embedded server, next to a raw indexed count of the same
 * collection in the same run (the floor an estimate's counts stand on).
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

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const BATCH = 10_000;
const DAY_MS = 86_400_000;
const LOCALES = ['en-US', 'en-GB', 'fr-FR', 'fr-CA', 'de-DE', 'es-ES', undefined];
const WORDS = Array.from({ length: 400 }, (_, i) => `topic${i}`);

function userFacts(i: number, random: () => number, now: number): Record<string, unknown> {
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
    sampleKey: random(),
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
    const now = Date.now();
    const started = performance.now();
    for (let from = 0; from < USERS; from += BATCH) {
      const docs = Array.from({ length: Math.min(BATCH, USERS - from) }, (_, k) => userFacts(from + k, random, now));
      await model.collection.insertMany(docs, { ordered: false });
    }
    console.log(`${USERS} users' audience facts inserted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const repository = new AudienceFactsRepository(model as unknown as mongoose.Model<AudienceFactsRecord>);
    const config = new ConfigService({ journeys: { notifySensitive: false } });
    const estimates = new AudienceEstimateService(repository, config as ConfigService as never);
    const baseline = await timed(() =>
      model.countDocuments({ 'consent.push': true, lastActiveAt: { $gte: new Date(now - 30 * DAY_MS) } }),
    );
    console.log(
      `baseline: raw indexed count (push consent, active 30 days) ${baseline.value} users in ${baseline.ms.toFixed(0)} ms`,
    );
    for (const name of ['ongoing-journey-push', 'weekly-journeys-digest']) {
      const file = join(__dirname, '..', '..', 'campaigns', `${name}.yaml`);
      const loaded = loadDefinition(file, readFileSync(file, 'utf8'));
      if (!loaded.ok) throw new Error(`${name} does not load`);
      const { value, ms } = await timed(() => estimates.estimate(loaded.definition, new Date(now)));
      console.log(
        `estimate ${name}: ${value.total} users (ongoing ${value.byStage.ongoing}, without consent ${value.byConsent.withoutConsent}, ${value.byLocale.length} locales) in ${ms.toFixed(0)} ms = ${(ms / baseline.ms).toFixed(2)}x the baseline count`,
      );
    }
  } finally {
    await connection.close();
    await server.stop();
  }
}
