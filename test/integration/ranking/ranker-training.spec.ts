import { getQueueToken } from '@nestjs/bull';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { Queue } from 'bull';
import type { Connection, mongo } from 'mongoose';
import { ErasureModule } from '../../../src/common/erasure/erasure.module';
import { UserErasureRegistry } from '../../../src/common/erasure/user-erasure.registry';
import { MetricsModule } from '../../../src/common/metrics/metrics.module';
import { ModelRepository } from '../../../src/common/model-store/model.repository';
import { DatabaseModule } from '../../../src/common/mongo/database.module';
import { QueueModule } from '../../../src/common/queue/queue.module';
import { loadConfig } from '../../../src/config';
import { settingsModule } from '../../../src/config/config.module';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { Prng } from '../../../src/lib/synthetic/prng';
import { FEATURE_NAMES, modelProbability, priorModel } from '../../../src/modules/ranking/domain';
import { auc } from '../../../src/modules/ranking/domain/metrics';
import { RANKING_QUEUE, RankingProducer } from '../../../src/modules/ranking/jobs/ranking.queue';
import { RANKER_MODEL_KIND, RankerModelService } from '../../../src/modules/ranking/ranker-model.service';
import { RankerTrainingService, RetrainSummary } from '../../../src/modules/ranking/ranker-training.service';
import { RankingExampleRepository } from '../../../src/modules/ranking/ranking-example.repository';
import { RankingJobsModule } from '../../../src/modules/ranking/ranking-jobs.module';
import { RankingModule } from '../../../src/modules/ranking/ranking.module';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';

type Db = mongo.Db;

const HOUR = 3_600_000;
// The retrain job uses the wall clock, so the logged history ends now.
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const POLICY = { lookbackDays: 90, minExamples: 200, attributionWindowHours: 72, aucTolerance: 0.005 };

interface SentExample {
  notificationId: string;
  userId: string;
  journeyId: string;
  journeyName: string;
  sentAt: Date;
  features: Record<string, number>;
}

/**
 * Stores a sent notification about a journey as delivery does (the features it was ranked with in its
 * `ranking`, its acceptance's `sentAt`), or, `logged`, the example an earlier version logged on its own.
 */
async function storeSent(db: Db, example: SentExample, stored: 'in-notification' | 'logged' = 'in-notification') {
  const { notificationId, userId, journeyId, journeyName, sentAt, features } = example;
  if (stored === 'logged') {
    await db.collection('ranking_examples').insertOne({ ...example });
    return;
  }
  await db.collection('notifications').insertOne({
    notificationId,
    runId: `run-${notificationId}`,
    userId,
    state: 'sent',
    ranking: { journeyId, journeyName, features },
    createdAt: sentAt,
    sentAt,
  });
}

/**
 * Stores `count` sent notifications over the 60 days before NOW, every third as an example logged by an
 * earlier version. With `signal`, two features the prior model ignores (span and search share) decide
 * whether the user opens, so a trained model must beat the prior.
 */
async function logNotifications(
  db: Db,
  repo: RankingExampleRepository,
  prefix: string,
  count: number,
  signal: boolean,
  seed: number,
) {
  const rng = new Prng(seed);
  for (let i = 0; i < count; i++) {
    const features = Object.fromEntries(FEATURE_NAMES.map((name) => [name, rng.float(0, 1)]));
    const sentAt = new Date(NOW.getTime() - 60 * 24 * HOUR + (i / count) * 55 * 24 * HOUR);
    const notificationId = `${prefix}-${i}`;
    const example = {
      notificationId,
      userId: `u${i % 50}`,
      journeyId: `j${i % 7}`,
      journeyName: `Journey ${i % 7}`,
      sentAt,
      features,
    };
    await storeSent(db, example, i % 3 === 0 ? 'logged' : 'in-notification');
    const logit = signal ? 5 * (features.span_days_log - 0.5) + 4 * (features.from_search - 0.5) : 0;
    if (rng.next() < 1 / (1 + Math.exp(-logit))) {
      await repo.recordOutcome(notificationId, 'open', new Date(sentAt.getTime() + 2 * HOUR));
    }
  }
}

describe('journey ranker retraining', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let moduleRef: TestingModule;
  let repo: RankingExampleRepository;
  let db: Db;
  let models: RankerModelService;
  let training: RankerTrainingService;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    const settings = loadConfig({ NODE_ENV: 'test', MONGODB_URI: `${mongo.uri}ranking`, REDIS_URL: redis.url });
    moduleRef = await Test.createTestingModule({
      imports: [
        await settingsModule(settings),
        MetricsModule,
        DatabaseModule,
        QueueModule,
        ErasureModule,
        RankingModule,
        RankingJobsModule,
      ],
    }).compile();
    await moduleRef.init();
    repo = moduleRef.get(RankingExampleRepository);
    db = moduleRef.get<Connection>(getConnectionToken()).db!;
    models = moduleRef.get(RankerModelService);
    training = moduleRef.get(RankerTrainingService);
  });

  afterAll(async () => {
    await moduleRef.close();
    await Promise.all([mongo.stop(), redis.stop()]);
  });

  it('keeps the prior when there are too few labelled examples', async () => {
    await logNotifications(db, repo, 'few', 30, true, 1);
    const outcome = await training.retrain(NOW, POLICY);
    expect(outcome).toMatchObject({ status: 'skipped', examples: 30 });
    expect((await models.current(NOW.getTime())).version).toBe(priorModel().version);
  });

  it('labels outcomes by the attribution window and leaves out unsettled notifications', async () => {
    const example = { userId: 'x', journeyId: 'j', journeyName: 'J', features: { a: 1 } };
    const tenDaysAgo = new Date(NOW.getTime() - 10 * 24 * HOUR);
    await storeSent(db, { ...example, notificationId: 'late', sentAt: tenDaysAgo });
    await repo.recordOutcome('late', 'open', new Date(NOW.getTime() - 5 * 24 * HOUR));
    await storeSent(db, { ...example, notificationId: 'fresh', sentAt: new Date(NOW.getTime() - HOUR) });
    const labelled = () => repo.findLabelled(new Date(NOW.getTime() - 11 * 24 * HOUR), NOW, 72);
    // Opened five days after the send: outside the 72-hour window.
    expect((await labelled()).filter((e) => e.userId === 'x')).toEqual([
      expect.objectContaining({ journeyName: 'J', label: 0 }),
    ]);
    // An earlier open of the same notification keeps the earliest time, inside the window.
    await repo.recordOutcome('late', 'open', new Date(NOW.getTime() - 9.9 * 24 * HOUR));
    expect((await labelled()).filter((e) => e.userId === 'x')).toEqual([
      expect.objectContaining({ journeyName: 'J', label: 1 }),
    ]);
    await db.collection('notifications').deleteMany({ userId: 'x' });
  });

  it('learns from examples logged before notifications carried them, one example per notification', async () => {
    const example = { userId: 'y', journeyId: 'j', journeyName: 'J', features: { a: 1 } };
    const sentAt = new Date(NOW.getTime() - 10 * 24 * HOUR);
    // Logged on its own by an earlier version, and opened then.
    await storeSent(db, { ...example, notificationId: 'old', sentAt }, 'logged');
    await repo.recordOutcome('old', 'open', new Date(sentAt.getTime() + HOUR));
    // Sent by an earlier version whose notification also kept its features: clicked after the upgrade.
    await storeSent(db, { ...example, notificationId: 'both', sentAt }, 'logged');
    await storeSent(db, { ...example, notificationId: 'both', sentAt });
    await repo.recordOutcome('both', 'click', new Date(sentAt.getTime() + HOUR));
    const labelled = await repo.findLabelled(new Date(NOW.getTime() - 11 * 24 * HOUR), NOW, 72);
    expect(labelled.filter((e) => e.userId === 'y').map((e) => e.label)).toEqual([1, 1]);
    expect(await db.collection('ranking_examples').findOne({ notificationId: 'old' })).toMatchObject({
      openedAt: expect.any(Date),
    });
    await repo.deleteByUser('y');
    await db.collection('notifications').deleteMany({ userId: 'y' });
  });

  it('leaves out an example whose logged features are not all finite (a malformed journey), not to poison the model', async () => {
    const sentAt = new Date(NOW.getTime() - 10 * 24 * HOUR);
    const example = { userId: 'z', journeyId: 'j', journeyName: 'J', sentAt };
    await storeSent(db, { ...example, notificationId: 'z-ok', features: { a: 1, confidence: 0.5 } });
    await storeSent(db, { ...example, notificationId: 'z-nan', features: { a: 1, confidence: Number.NaN } });
    await storeSent(db, { ...example, notificationId: 'z-inf', features: { a: Infinity, confidence: 0.5 } }, 'logged');
    try {
      const labelled = await repo.findLabelled(new Date(NOW.getTime() - 11 * 24 * HOUR), NOW, 72);
      expect(labelled.filter((e) => e.userId === 'z').map((e) => e.features)).toEqual([{ a: 1, confidence: 0.5 }]);
    } finally {
      await repo.deleteByUser('z');
      await db.collection('notifications').deleteMany({ userId: 'z' });
    }
  });

  it('retrains through the ranking queue, promotes a better model and serves it to builds', async () => {
    await logNotifications(db, repo, 'signal', 600, true, 2);
    const job = await moduleRef.get(RankingProducer).enqueueRetrain();
    const queue = moduleRef.get<Queue>(getQueueToken(RANKING_QUEUE));
    const summary = (await (await queue.getJob(job))!.finished()) as RetrainSummary;
    expect(summary.status).toBe('promoted');
    if (summary.status === 'skipped') throw new Error('unreachable');
    expect(summary.validationAuc).toBeGreaterThan(0.75);
    const current = await models.current(Date.now() + 120_000);
    expect(current.version).toBe(summary.version);
    const stored = await moduleRef.get(ModelRepository).listVersions(RANKER_MODEL_KIND);
    expect(stored[0]).toMatchObject({ version: summary.version, meta: expect.objectContaining({ promoted: true }) });

    // Asked again once that one finished, a retrain is queued and run anew rather than answered with it.
    const first = (await queue.getJob(job))!;
    const again = await moduleRef.get(RankingProducer).enqueueRetrain();
    expect(again).toBe(job);
    const second = (await queue.getJob(again))!;
    expect(second.timestamp).toBeGreaterThanOrEqual(first.finishedOn!);
    expect(((await second.finished()) as RetrainSummary).status).not.toBe('skipped');
  });

  it('rejects a retrain that ranks the latest examples worse than the model in use', async () => {
    const inUse = await models.current(Date.now() + 240_000);
    // Scrambled labels everywhere but in the latest examples, which the gate validates on.
    const examples = await repo.findLabelled(new Date(0), NOW, 72);
    const scrambled = examples.map((e, i) =>
      i < examples.length * 0.8 ? { ...e, label: (i % 3 === 0 ? 1 : 0) as 0 | 1 } : e,
    );
    const noise = await training.trainAndGate(scrambled, [], new Date(NOW.getTime() + 1000), POLICY);
    expect(noise.status).toBe('rejected');
    expect((await models.current(Date.now() + 360_000)).version).toBe(inUse.version);
  });

  it('judges the model in use on exactly the candidate’s validation examples, when a batch shares its send time', async () => {
    const inUse = await models.current(Date.now() + 480_000);
    const rng = new Prng(11);
    // 7 notifications per batch, accepted at one time: the latest 15% starts inside a batch.
    const examples = Array.from({ length: 703 }, (_, i) => {
      const features = Object.fromEntries(FEATURE_NAMES.map((name) => [name, rng.float(0, 1)]));
      const logit = 5 * (features.span_days_log - 0.5) + 4 * (features.decayed_7d_log - 0.5);
      return {
        userId: `b${i % 40}`,
        journeyName: `Journey ${i % 5}`,
        at: new Date(NOW.getTime() - (100 - Math.floor(i / 7)) * 6 * HOUR),
        features,
        label: (rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0) as 0 | 1,
      };
    });
    const outcome = await training.trainAndGate(examples, [], new Date(NOW.getTime() + 2000), POLICY);
    if (outcome.status === 'skipped') throw new Error('unreachable');
    const validation = examples.slice(examples.length - outcome.model.report!.validation.examples);
    const expected = auc(
      validation.map((e) =>
        modelProbability(
          inUse,
          inUse.featureNames.map((name) => e.features[name]),
        ),
      ),
      validation.map((e) => e.label),
    );
    expect(outcome.currentAuc).toBeCloseTo(expected, 12);
  });

  it('keeps the model in use when none of the latest examples was opened, as their AUC says nothing', async () => {
    const stored = async () =>
      (await moduleRef.get(ModelRepository).listVersions(`${RANKER_MODEL_KIND}.candidate`)).length;
    const before = await stored();
    const rng = new Prng(12);
    for (let i = 0; i < 300; i++) {
      const features = Object.fromEntries(FEATURE_NAMES.map((name) => [name, rng.float(0, 1)]));
      // After every other example, and settled: between 4.9 and 3.2 days ago.
      const sentAt = new Date(NOW.getTime() - 4.9 * 24 * HOUR + i * 8 * 60_000);
      await storeSent(db, {
        notificationId: `unopened-${i}`,
        userId: `n${i % 20}`,
        journeyId: 'j',
        journeyName: 'J',
        sentAt,
        features,
      });
    }
    try {
      const outcome = await training.retrain(new Date(NOW.getTime() + 3000), POLICY);
      expect(outcome).toMatchObject({ status: 'skipped', reason: expect.stringContaining('validation') });
      expect(await stored()).toBe(before);
    } finally {
      await db.collection('notifications').deleteMany({ notificationId: /^unopened-/ });
    }
  });

  it('erases a user’s logged examples with the user (their notifications go with delivery’s erasure)', async () => {
    const counts = await moduleRef.get(UserErasureRegistry).eraseAll('u1');
    expect(counts.rankingExamples).toBeGreaterThan(0);
    expect(await db.collection('ranking_examples').countDocuments({ userId: 'u1' })).toBe(0);
  });
});
