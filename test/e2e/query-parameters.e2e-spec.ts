import { buildUserProfile } from '../factories/user.factory';
import { useTestApp } from './support/test-app';

const SESSION_KEY = { kid: 'k1', secret: 'query-test-session-key-not-a-secret-00001' };

/** How query parameters are read: a /v1 route takes only those it declares, each once; links and pages take any. */
describe('query parameters', () => {
  const app = useTestApp({
    database: 'query_params',
    env: { JOURNEYS_SCHEDULE_ENABLED: 'false', CONSOLE_SESSION_KEYS: `${SESSION_KEY.kid}:${SESSION_KEY.secret}` },
  });
  const as = () => ({ Authorization: `Bearer ${app.admin}` });
  const counts = async () => ({
    users: await app.t.db().collection('users').countDocuments(),
    runs: await app.t.db().collection('journey_build_runs').countDocuments(),
  });
  const fieldsOf = (body: { errors?: Array<{ field: string; message: string }> }) => body.errors ?? [];

  it('refuses a parameter on a route that declares none with a 400 naming it, and stores nothing', async () => {
    const before = await counts();
    const put = await app.t.http().put('/v1/users/u-query?dryRun=true').set(as()).send(buildUserProfile()).expect(400);
    expect(fieldsOf(put.body)).toEqual([{ field: 'dryRun', message: 'query parameter dryRun is not accepted here' }]);
    const run = await app.t.http().post('/v1/journey-runs?force=1').set(as()).send({ kind: 'full' }).expect(400);
    expect(fieldsOf(run.body)).toEqual([{ field: 'force', message: 'query parameter force is not accepted here' }]);
    await app.t.http().post('/v1/users/u-query/journeys:rebuild?force=1').set(as()).expect(400);
    expect(await counts()).toEqual(before);
    await app.t.http().get('/v1/users/u-query').set(as()).expect(404);
  });

  it('refuses a repeated parameter with a 400 naming it', async () => {
    const res = await app.t.http().get('/v1/users/u1/journeys?x=1&x=2').set(as()).expect(400);
    expect(JSON.stringify(res.body)).toMatch(/\bx\b/);
    const runs = await app.t.http().get('/v1/campaign-runs?limit=1&limit=2').set(as()).expect(400);
    expect(fieldsOf(runs.body)).toEqual([{ field: 'limit', message: 'query parameter limit must be given once' }]);
  });

  it('keeps accepting exactly the fields of a route query DTO', async () => {
    await app.t.http().get('/v1/campaign-runs?state=running&limit=5').set(as()).expect(200);
    const unknown = await app.t.http().get('/v1/campaign-runs?dryRun=true').set(as()).expect(400);
    expect(fieldsOf(unknown.body)).toEqual([
      { field: 'dryRun', message: 'query parameter dryRun is not accepted here' },
    ]);
    const report = await app.t.http().get('/v1/experiments/any/report?format=json&foo=1').set(as()).expect(400);
    expect(fieldsOf(report.body).map((e) => e.field)).toEqual(['foo']);
  });

  it('leaves tracking links, console pages and operations endpoints to take any parameter', async () => {
    await app.t.http().get('/t/o/not-a-token?utm_source=mail&utm_source=again&x=1').expect(200);
    await app.t.http().get('/t/c/not-a-token?utm_source=mail').expect(404);
    const page = await app.t.http().get('/console/sign-in?next=/console&utm_source=mail').expect(200);
    expect(page.text).toMatch(/<form/);
    await app.t.http().get('/health?probe=1').expect(200);
  });
});
