import { INestApplicationContext } from '@nestjs/common';
import { UserErasureRegistry } from '../../../src/common/erasure/user-erasure.registry';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { RawEvent } from '../../../src/lib/synthetic/population';
import { UserRepository } from '../../../src/modules/ingest/user.repository';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { JUDGE_PROMPT_VERSION } from '../../../src/modules/journey-judge/domain/judge-prompt';
import { JudgeError } from '../../../src/modules/journey-judge/domain/judge.errors';
import { JourneyJudgeModule } from '../../../src/modules/journey-judge/journey-judge.module';
import { JourneyJudgeService } from '../../../src/modules/journey-judge/journey-judge.service';
import { JudgeAgreementService } from '../../../src/modules/journey-judge/judge-agreement.service';
import { UserJudgeService } from '../../../src/modules/journey-judge/user-judge.service';
import { JourneysJobsModule } from '../../../src/modules/journeys/jobs/journeys-jobs.module';
import { phraseCandidates } from '../../../src/modules/journeys/domain/keywords';
import { RunKind } from '../../../src/modules/journeys/journey-build-run.schema';
import { JourneyRunsService } from '../../../src/modules/journeys/journey-runs.service';
import { UserJourneysRepository } from '../../../src/modules/journeys/user-journeys.repository';
import { FakeOpenAiServer } from '../../setup/openai-server';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import {
  db,
  ingest,
  journeySettings,
  population,
  startJourneysContext,
  waitForRun,
} from '../journeys/journeys-harness';
import {
  evidenceReply,
  gradeByEvidence,
  isJudgeCall,
  modelWith,
  promptActivity,
  usageOf,
} from '../../setup/judge-model';

const PRIVATE_USER = 'cust-wq-58213';
const EMAIL = 'wilhelmina.quartz@example.com';
const ONE_OFF_QUERY = 'landlord dispute letter for flat 4b';

describe('the journey judge over the real openai SDK, on MongoDB', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let server: FakeOpenAiServer;
  let app: INestApplicationContext;
  let runId: string;
  const { events, userIds } = population(24, 21, 50);
  // A user whose identifiers also appear in their activity: twice (a keyword, were it not private) and once.
  const privateEvents: RawEvent[] = [
    ...events.filter((e) => e.userId === userIds[0]).map((e) => ({ ...e, id: `p-${e.id}`, userId: PRIVATE_USER })),
    ...[1, 2].map((n) => ({
      id: `p-name-${n}`,
      userId: PRIVATE_USER,
      type: 'search' as const,
      occurredAt: new Date(Date.now() - n * 3_600_000).toISOString(),
      query: `wilhelmina quartz kitchen ${n}`,
    })),
    {
      id: 'p-once',
      userId: PRIVATE_USER,
      type: 'search',
      occurredAt: new Date(Date.now() - 7_200_000).toISOString(),
      query: ONE_OFF_QUERY,
    },
  ];
  /** A worker that builds journeys and judges them, on its own database of the shared servers. */
  const startJudgeContext = (database: string) =>
    startJourneysContext(
      journeySettings(mongo.uri, redis, database, {
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: server.baseUrl,
        OPENAI_MODEL: 'naming-model',
        OPENAI_MAX_RETRIES: '0',
        OPENAI_TIMEOUT_MS: '2000',
        JUDGE_MODEL: 'judge-model',
        JUDGE_SCHEDULE_ENABLED: 'false',
      }),
      [JourneysJobsModule, JourneyJudgeModule],
    );
  const judgeCalls = () => server.requests.filter(isJudgeCall);
  const judge = () => app.get(JourneyJudgeService);
  /** Users the judge has no cached grades for yet: judging them calls the model. */
  const unjudged = async (n: number) => {
    const seen = await db(app).collection('journey_judge_cache').distinct('userIds');
    const fresh = userIds.filter((u) => !seen.includes(u));
    expect(fresh.length).toBeGreaterThanOrEqual(n);
    return fresh.slice(0, n);
  };
  const judgedUsers = (judgementId: string) =>
    db(app).collection('journey_judged_users').find({ judgementId }).sort({ userId: 1 }).toArray();

  beforeAll(async () => {
    [mongo, redis, server] = await Promise.all([startTestMongo(), startTestRedis(), FakeOpenAiServer.start()]);
    server.onChat(modelWith(evidenceReply));
    app = await startJudgeContext('judge');
    await app.get(UserRepository).upsert(PRIVATE_USER, {
      email: EMAIL,
      attributes: { firstName: 'Wilhelmina' },
      consent: { email: true, push: false },
      pushTokens: [],
    });
    await ingest(app, [...events, ...privateEvents], new Date(Date.now() - 10_000));
    const run = await waitForRun(app, (await app.get(JourneyRunsService).requestRun('full', 'manual')).runId, 60_000);
    expect(run.status).toBe('completed');
    runId = run.runId;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop(), server?.stop()]);
  }, 30_000);

  it('grades a sample of the latest run with the judge model and stores it with the prompt version', async () => {
    const before = judgeCalls().length;
    const report = await judge().judgeRun({ sampleSize: 6, trigger: 'manual' });
    const calls = judgeCalls().slice(before);
    expect(calls).toHaveLength(6);
    expect(calls.every((c) => c.model === 'judge-model')).toBe(true);
    // What the judge answered, recomputed from the prompts it received.
    const grades = calls.flatMap((c) => Object.values(gradeByEvidence(c)).map((g) => g.grade));
    const mean = grades.reduce((s, g) => s + g, 0) / grades.length;
    expect(report).toMatchObject({
      buildRunId: runId,
      status: 'completed',
      model: 'judge-model',
      promptVersion: JUDGE_PROMPT_VERSION,
      counts: { sampled: 6, judged: 6, cached: 0, failed: 0, skippedForBudget: 0 },
      summary: { users: 6, journeys: grades.length },
    });
    expect(report.summary.mean).toBeCloseTo(mean, 10);
    expect(report.summary.shareGood).toBeCloseTo(grades.filter((g) => g >= 4).length / grades.length, 10);
    for (const g of [1, 2, 3, 4, 5]) {
      expect(report.summary.distribution[String(g)]).toBe(grades.filter((x) => x === g).length);
    }
    expect(report.tokens.spent).toBe(calls.reduce((s, c) => s + usageOf(c).promptTokens + 60, 0));
    expect(report.worst[0].grade).toBe(Math.min(...grades));
    expect(report.worst[0].explanation).toMatch(/^The activity supports \d of its keywords\.$/);

    const stored = await db(app).collection('journey_judgements').findOne({ judgementId: report.judgementId });
    expect(stored).toMatchObject({ buildRunId: runId, model: 'judge-model', promptVersion: JUDGE_PROMPT_VERSION });
    const users = await judgedUsers(report.judgementId);
    expect(users).toHaveLength(6);
    expect(users.every((u) => u.status === 'judged' && u.journeys.length > 0 && u.journeys.length <= 3)).toBe(true);
    expect((await judge().latestOfRun(runId))?.judgementId).toBe(report.judgementId);
    expect((await judge().latestCompleted())?.judgementId).toBe(report.judgementId);
  });

  it('re-judging the same sample is served from the cache and spends no tokens', async () => {
    const first = await judge().judgeRun({ sampleSize: 6, trigger: 'manual' });
    const before = judgeCalls().length;
    const again = await judge().judgeRun({ sampleSize: 6, trigger: 'manual' });
    expect(judgeCalls().length).toBe(before);
    expect(again.judgementId).not.toBe(first.judgementId);
    expect(again.counts).toMatchObject({ judged: 6, cached: 6 });
    expect(again.tokens.spent).toBe(0);
    expect(again.summary.mean).toBe(first.summary.mean);
  });

  it('never shows the judge a user id, email, name or a query that is not an extracted keyword', async () => {
    const before = judgeCalls().length;
    const report = await judge().judgeRun({ sampleSize: 1, userIds: [PRIVATE_USER], trigger: 'manual' });
    expect(report.counts).toMatchObject({ sampled: 1, judged: 1 });
    const [call] = judgeCalls().slice(before);
    const sent = JSON.stringify(call.messages).toLowerCase();
    for (const secret of [PRIVATE_USER, '58213', EMAIL, 'wilhelmina', 'quartz', ONE_OFF_QUERY, 'landlord']) {
      expect(sent).not.toContain(secret.toLowerCase());
    }
    // Every activity line is a keyword the journey library extracts from this user's events.
    const extracted = new Set(
      privateEvents.flatMap((e) =>
        [e.query, e.item?.title, ...(e.item?.annotations ?? []), ...(e.item?.categories ?? []), e.board?.name]
          .filter((t): t is string => t !== undefined)
          .flatMap((t) => phraseCandidates(t).flatMap((c) => [c.key, c.surface.toLowerCase()])),
      ),
    );
    const activity = promptActivity(call);
    expect(activity.length).toBeGreaterThan(3);
    expect(activity.filter((k) => !extracted.has(k.toLowerCase()))).toEqual([]);
  });

  it('rejects malformed, out-of-range and incomplete replies, and caches only valid ones', async () => {
    const sample = await unjudged(4);
    let call = 0;
    server.onChat(
      modelWith((request) => {
        const valid = gradeByEvidence(request);
        const [first] = Object.keys(valid);
        const n = call++;
        if (n === 0) return { content: 'The journeys look fine to me.' };
        if (n === 1) return { content: JSON.stringify({ ...valid, [first]: { grade: 7, explanation: 'Great.' } }) };
        if (n === 2) return { status: 500, body: '{"error":{"message":"overloaded"}}' };
        return { content: JSON.stringify(valid) };
      }),
    );
    try {
      const report = await judge().judgeRun({ sampleSize: 4, userIds: sample, trigger: 'manual' });
      expect(report.counts).toMatchObject({ sampled: 4, judged: 1, failed: 3, cached: 0 });
      expect(report.summary.users).toBe(1);
      const reasons = report.failures.map((f) => f.reason).join('\n');
      expect(reasons).toMatch(/reply rejected: .*JSON/i);
      expect(reasons).toMatch(/reply rejected: j1\.grade must be an integer from 1 to 5 \(got 7\)/);
      expect(reasons).toMatch(/LLM call failed/);
      // The rejected users are asked again next time; the valid one comes from the cache.
      server.onChat(modelWith(evidenceReply));
      const before = judgeCalls().length;
      const retried = await judge().judgeRun({ sampleSize: 4, userIds: sample, trigger: 'manual' });
      expect(judgeCalls().length - before).toBe(3);
      expect(retried.counts).toMatchObject({ judged: 4, cached: 1, failed: 0 });
    } finally {
      server.onChat(modelWith(evidenceReply));
    }
  });

  it('stops calling the model when the token budget is spent and says so', async () => {
    const sample = await unjudged(7);
    const before = judgeCalls().length;
    const perCall = usageOf(judgeCalls()[0]).promptTokens + 60;
    const report = await judge().judgeRun({
      sampleSize: 7,
      userIds: sample,
      trigger: 'manual',
      maxTokens: Math.round(perCall * 2.5),
    });
    const calls = judgeCalls().length - before;
    expect(report.counts.skippedForBudget).toBeGreaterThan(0);
    expect(report.counts.judged).toBe(calls);
    expect(report.counts.judged + report.counts.skippedForBudget).toBe(7);
    expect(report.tokens.exhausted).toBe(true);
    expect(report.tokens.spent).toBeLessThanOrEqual(report.tokens.budget);
    expect(report.tokens.spent).toBeGreaterThan(0);
  });

  it('compares a judged run with the previous judged run, with intervals', async () => {
    const second = await waitForRun(
      app,
      (await app.get(JourneyRunsService).requestRun('full', 'manual')).runId,
      60_000,
    );
    expect(second.status).toBe('completed');
    const report = await judge().judgeRun({ sampleSize: 6, trigger: 'manual' });
    expect(report.buildRunId).toBe(second.runId);
    expect(report.previous).toMatchObject({ buildRunId: runId, sameJudge: true });
    expect(report.changes.map((c) => c.metric)).toEqual(['mean-grade', 'share-good']);
    const withInterval = report.changes.filter((c) => c.lower !== null && c.upper !== null);
    expect(withInterval.length).toBeGreaterThan(0);
    for (const change of withInterval) {
      expect(change.lower!).toBeLessThanOrEqual(change.difference);
      expect(change.upper!).toBeGreaterThanOrEqual(change.difference);
    }
  });

  it('refuses runs it cannot judge with a coded error', async () => {
    await expect(judge().judgeRun({ buildRunId: 'full-nope', sampleSize: 3, trigger: 'manual' })).rejects.toThrow(
      JudgeError,
    );
    await expect(
      judge().judgeRun({ sampleSize: 3, userIds: ['nobody-at-all'], trigger: 'manual' }),
    ).rejects.toMatchObject({ code: 'judge.no-users' });
  });

  it('erases a user from judgements, judged users and the cache', async () => {
    const counts = await app.get(UserErasureRegistry).eraseAll(PRIVATE_USER);
    expect(counts.journeyJudgements).toBeGreaterThan(0);
    expect(await db(app).collection('journey_judged_users').countDocuments({ userId: PRIVATE_USER })).toBe(0);
    expect(await db(app).collection('journey_judge_cache').countDocuments({ userIds: PRIVATE_USER })).toBe(0);
    expect(await db(app).collection('journey_judgements').countDocuments({ sample: PRIVATE_USER })).toBe(0);
  });

  it('keeps nothing of a user erased while the judge grades them', async () => {
    const [erased, kept] = await unjudged(2);
    const userJudge = app.get(UserJudgeService);
    const grade = userJudge.judge.bind(userJudge);
    // The erasure runs, start to end, after the judge read the user's journeys and before it stores a grade.
    const spy = jest.spyOn(userJudge, 'judge').mockImplementation(async (view, budget) => {
      if (view.userId === erased) await app.get(UsersService).eraseUser(erased);
      return grade(view, budget);
    });
    try {
      await judge().judgeRun({ sampleSize: 2, userIds: [erased, kept], trigger: 'manual' });
    } finally {
      spy.mockRestore();
    }
    const left = async (collection: string, query: object) => db(app).collection(collection).countDocuments(query);
    expect(await left('journey_judged_users', { userId: kept })).toBeGreaterThan(0);
    expect({
      judgedUsers: await left('journey_judged_users', { userId: erased }),
      cache: await left('journey_judge_cache', { userIds: erased }),
      judgements: await left('journey_judgements', {
        $or: [{ sample: erased }, { 'worst.userId': erased }, { 'failures.userId': erased }],
      }),
    }).toEqual({ judgedUsers: 0, cache: 0, judgements: 0 });
  });

  it('looks for users erased meanwhile once for the whole sample, not once per user', async () => {
    const lookups = jest.spyOn(app.get(UserJourneysRepository), 'findBuildBases');
    try {
      const report = await judge().judgeRun({ sampleSize: 5, trigger: 'manual' });
      expect(report.counts).toMatchObject({ sampled: 5, judged: 5 });
      // One look at the sample once its grades are stored, one at the users the outcome names.
      expect(lookups).toHaveBeenCalledTimes(2);
      const sample = (await judgedUsers(report.judgementId)).map((u) => u.userId as string);
      expect([...lookups.mock.calls[0][0]].sort()).toEqual(sample);
    } finally {
      lookups.mockRestore();
    }
  });

  describe('when no build run is named', () => {
    let fresh: INestApplicationContext;
    const own = population(8, 53, 40);
    const judgeFresh = () => fresh.get(JourneyJudgeService);
    const build = async (kind: RunKind) => {
      const requested = await fresh.get(JourneyRunsService).requestRun(kind, 'manual');
      const run = await waitForRun(fresh, requested.runId, 60_000);
      expect(run.status).toBe('completed');
      return run;
    };

    beforeAll(async () => {
      fresh = await startJudgeContext('judge_default_run');
      await ingest(fresh, own.events, new Date(Date.now() - 10_000));
    }, 60_000);
    afterAll(async () => {
      await fresh?.close();
    }, 30_000);

    it('before any full rebuild, grades the latest run that built journeys, not a later one that built none', async () => {
      const first = await build('incremental');
      expect(first).toMatchObject({ kind: 'incremental', counts: { built: own.userIds.length } });
      const empty = await build('incremental');
      expect(empty.counts.built ?? 0).toBe(0);
      const report = await judgeFresh().judgeRun({ sampleSize: 4, trigger: 'manual' });
      expect(report).toMatchObject({ buildRunId: first.runId, counts: { sampled: 4, judged: 4 } });
    }, 120_000);

    it('grades the latest full rebuild, not later incremental runs of one user or none', async () => {
      const full = await build('full');
      expect(full).toMatchObject({ kind: 'full', counts: { built: own.userIds.length } });
      const [active] = own.userIds;
      const again = own.events
        .filter((e) => e.userId === active)
        .slice(0, 5)
        .map((e) => ({ ...e, id: `again-${e.id}` }));
      await ingest(fresh, again);
      const one = await build('incremental');
      expect(one).toMatchObject({ kind: 'incremental', counts: { built: 1 } });
      const none = await build('incremental');
      expect(none.counts.built ?? 0).toBe(0);

      const report = await judgeFresh().judgeRun({ sampleSize: 4, trigger: 'manual' });
      expect(report).toMatchObject({ buildRunId: full.runId, counts: { sampled: 4, judged: 4 } });
      const sheet = await fresh.get(JudgeAgreementService).exportSample(4);
      expect(sheet).toMatchObject({ buildRunId: full.runId, users: 4 });

      // A named run is judged as named, however few users it built.
      const named = await judgeFresh().judgeRun({ buildRunId: one.runId, sampleSize: 4, trigger: 'manual' });
      expect(named).toMatchObject({ buildRunId: one.runId, counts: { sampled: 1 } });
      const stored = await db(fresh).collection('journey_judged_users').findOne({ judgementId: named.judgementId });
      expect(stored?.userId).toBe(active);
    }, 180_000);
  });
});
