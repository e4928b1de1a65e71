import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../src/lib/csv/csv';
import { generatePopulation } from '../../src/lib/synthetic/population';
import { SHEET_COLUMNS } from '../../src/modules/journey-judge/domain/grading-sheet';
import { JudgementReport } from '../../src/modules/journey-judge/domain/judgement-report';
import { JourneyRunsService } from '../../src/modules/journeys/journey-runs.service';
import { evidenceReply, isJudgeCall, modelWith } from '../setup/judge-model';
import { FakeOpenAiServer } from '../setup/openai-server';
import { journeycast } from './support/cli';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

describe('journey judge: journeycast journeys judge and GET /v1/journey-runs/:runId/judgement', () => {
  let servers: TestServers;
  let server: FakeOpenAiServer;
  let t: TestApp;
  let admin: string;
  let runId: string;
  let dir: string;
  const llmEnv = (s: FakeOpenAiServer) => ({
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: s.baseUrl,
    OPENAI_MAX_RETRIES: '0',
    JUDGE_MODEL: 'judge-model',
    JUDGE_SCHEDULE_ENABLED: 'false',
    JOURNEYS_SCHEDULE_ENABLED: 'false',
  });
  const cli = (args: string[]) =>
    journeycast(['journeys', 'judge', ...args], {
      MONGODB_URI: `${servers.mongoUri}judge_e2e`,
      REDIS_URL: servers.redis.url,
      REDIS_PREFIX: 'judge_e2e',
      ...llmEnv(server),
    });
  const judgement = (id: string, key?: string) => {
    const req = t.http().get(`/v1/journey-runs/${id}/judgement`);
    return key ? req.set('Authorization', `Bearer ${key}`) : req;
  };

  beforeAll(async () => {
    [servers, server, dir] = await Promise.all([
      startTestServers(),
      FakeOpenAiServer.start(),
      mkdtemp(join(tmpdir(), 'judge-e2e-')),
    ]);
    server.onChat(modelWith(evidenceReply));
    t = await createTestApp(servers, { database: 'judge_e2e', env: llmEnv(server) });
    admin = await t.createKey('admin');
    const ingest = await t.createKey('ingest');
    const { events } = generatePopulation({
      seed: 44,
      users: 10,
      now: new Date(Date.now() - 60_000),
      eventsPerUser: 40,
    });
    await t.http().post('/v1/events').set('Authorization', `Bearer ${ingest}`).send({ events }).expect(200);
    const runs = t.app.get(JourneyRunsService);
    runId = (await runs.requestRun('full', 'manual')).runId;
    for (let i = 0; i < 300 && (await runs.findRun(runId))?.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await runs.findRun(runId))?.status).toBe('completed');
  }, 90_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([servers?.stop(), server?.stop(), dir && rm(dir, { recursive: true, force: true })]);
  }, 30_000);

  it('answers 404 before the run is judged, and refuses callers without an admin key', async () => {
    await judgement(runId).expect(401);
    await judgement(runId, await t.createKey('ingest')).expect(403);
    const missing = await judgement(runId, admin).expect(404);
    expect(missing.body.message).toContain(`journey run ${runId} has not been judged`);
    const tooLong = await judgement('r'.repeat(201), admin).expect(400);
    expect(JSON.stringify(tooLong.body)).toContain('runId');
  });

  it('judges a sample from the CLI, as JSON, and serves the same judgement over HTTP and in /metrics', async () => {
    const { code, stdout, stderr } = await cli(['--sample', '5', '--format', 'json']);
    const report = JSON.parse(stdout) as JudgementReport;
    // Exit 3 says the alert fired (the mean grade is below the threshold), 0 that it did not.
    expect({ code, stderr }).toMatchObject({ code: report.alert.triggered ? 3 : 0 });
    expect(report.alert.triggered).toBe(report.summary.mean! < report.alert.minMeanGrade);
    expect(report).toMatchObject({
      buildRunId: runId,
      status: 'completed',
      model: 'judge-model',
      counts: { sampled: 5, judged: 5 },
    });
    expect(server.requests.filter(isJudgeCall)).toHaveLength(5);
    const res = await judgement(runId, admin).expect(200);
    expect(res.body).toMatchObject({ judgementId: report.judgementId, summary: { mean: report.summary.mean } });
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toContain(`journeycast_journey_judge_mean_grade ${report.summary.mean}`);
    expect(metrics.text).toContain(`journeycast_journey_judge_alert ${report.alert.triggered ? 1 : 0}`);
  }, 120_000);

  it('exports a grading sheet and measures agreement with the grades people give', async () => {
    const sheetPath = join(dir, 'sheet.csv');
    const exported = await cli(['--export-sample', '5', '--out', sheetPath]);
    expect(exported.code).toBe(0);
    const rows = parseCsv(await readFile(sheetPath, 'utf8')).map((r) => r.cells);
    expect(rows[0]).toEqual([...SHEET_COLUMNS]);
    expect(rows.length).toBeGreaterThan(5);
    // People agree with the judge on every journey but one, which they grade one lower (or higher at 1).
    const judged = (await t.db().collection('journey_judged_users').find({ status: 'judged' }).toArray()).flatMap((u) =>
      (u.journeys as Array<{ name: string; grade: number }>).map((j) => ({ userId: u.userId as string, ...j })),
    );
    const seen = new Set<string>();
    const labels = judged.filter((j) => !seen.has(`${j.userId}/${j.name}`) && seen.add(`${j.userId}/${j.name}`));
    const human = labels.map((j, i) => (i === 0 ? (j.grade > 1 ? j.grade - 1 : 2) : j.grade));
    const csv = ['userId,journeyName,grade', ...labels.map((j, i) => `${j.userId},"${j.name}",${human[i]}`)].join('\n');
    await writeFile(join(dir, 'grades.csv'), `${csv}\nnobody,No Such Journey,3\n`);
    const before = server.requests.filter(isJudgeCall).length;
    const { code, stdout } = await cli(['--labels', join(dir, 'grades.csv'), '--format', 'json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      report: { pairs: number; exact: number; withinOne: number };
      unmatched: unknown[];
    };
    const n = labels.length;
    expect(result.report.pairs).toBe(n);
    expect(result.report.exact).toBeCloseTo((n - 1) / n, 10);
    expect(result.report.withinOne).toBe(1);
    expect(result.unmatched).toHaveLength(1);
    // Every labelled user was judged before: agreement costs no new calls.
    expect(server.requests.filter(isJudgeCall).length).toBe(before);
  }, 180_000);

  it('exits 2 naming the line of a bad labels file, and refuses mixed modes', async () => {
    await writeFile(join(dir, 'bad.csv'), 'userId,journeyName,grade\nu1,Kitchen,4\nu2,Garden,9\n');
    const bad = await cli(['--labels', join(dir, 'bad.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('labels line 3: grade must be a whole number from 1 to 5');
    const mixed = await cli(['--labels', join(dir, 'bad.csv'), '--sample', '3']);
    expect(mixed.code).not.toBe(0);
    expect(mixed.stderr).toContain('give one of --sample/--users, --labels or --export-sample');
  }, 120_000);
});
