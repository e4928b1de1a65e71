import { ModelRepository } from '../../src/common/model-store/model.repository';
import { Prng } from '../../src/lib/synthetic/prng';
import { FEATURE_NAMES } from '../../src/modules/ranking/domain';
import { journeycast } from './support/cli';
import { useTestApp } from './support/test-app';

const DATABASE = 'ranking_models';
const HOUR = 3_600_000;

/**
 * Labelled examples as an earlier version logged them: `count` notifications over the 60 days before five
 * days ago (past the attribution window), opened more often when two features the prior ignores are high,
 * so a model trained on them ranks better than the prior.
 */
function examples(count: number, seed: number) {
  const rng = new Prng(seed);
  const end = Date.now() - 5 * 24 * HOUR;
  return Array.from({ length: count }, (_, i) => {
    const features = Object.fromEntries(FEATURE_NAMES.map((name) => [name, rng.float(0, 1)]));
    const sentAt = new Date(end - 60 * 24 * HOUR + (i / count) * 60 * 24 * HOUR);
    const logit = 5 * (features.span_days_log - 0.5) + 4 * (features.from_search - 0.5);
    const opened = rng.next() < 1 / (1 + Math.exp(-logit));
    return {
      notificationId: `n-${seed}-${i}`,
      userId: `u${i % 50}`,
      journeyId: `j${i % 7}`,
      journeyName: `Journey ${i % 7}`,
      sentAt,
      features,
      ...(opened && { openedAt: new Date(sentAt.getTime() + 2 * HOUR) }),
    };
  });
}

describe('the journey ranker over HTTP and the CLI', () => {
  // The composed app runs the ranking worker, which takes the retrain jobs the API and the CLI queue.
  const f = useTestApp({ database: DATABASE });
  const cliEnv = () => ({
    MONGODB_URI: `${f.servers.mongoUri}${DATABASE}`,
    REDIS_URL: f.servers.redis.url,
    REDIS_PREFIX: DATABASE,
  });
  const current = () => f.t.http().get('/v1/ranking-models/current').set('Authorization', `Bearer ${f.admin}`);

  it('reports the prior before any model is trained, and only to admins', async () => {
    const res = await current().expect(200);
    expect(res.body).toEqual({ version: 'prior-1', prior: true });
    await f.t.http().get('/v1/ranking-models/current').set('Authorization', `Bearer ${f.ingest}`).expect(403);
    await f.t.http().post('/v1/ranking-models:retrain').set('Authorization', `Bearer ${f.ingest}`).expect(403);
  });

  it('`ranker retrain --wait` without enough labelled examples says so, stores nothing and exits 2', async () => {
    const { code, stdout, stderr } = await journeycast(['ranker', 'retrain', '--wait'], cliEnv());
    expect({ code, stderr }).toMatchObject({ code: 2, stderr: expect.stringContaining('not retrained: 0 labelled') });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'skipped', examples: 0 });
    expect((await current().expect(200)).body).toEqual({ version: 'prior-1', prior: true });
  }, 60_000);

  it('POST /v1/ranking-models:retrain queues a retrain the workers run; the trained model is then current', async () => {
    await f.t.db().collection('ranking_examples').insertMany(examples(600, 7));
    const accepted = await f.t.http().post('/v1/ranking-models:retrain').set('Authorization', `Bearer ${f.admin}`);
    expect(accepted.status).toBe(202);
    expect(accepted.body.jobId).toBe('ranking.retrain:retrain');
    let body = (await current().expect(200)).body as { prior: boolean };
    for (let i = 0; i < 300 && body.prior; i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = (await current().expect(200)).body;
    }
    expect(body).toMatchObject({
      version: expect.stringMatching(/^lr-/),
      prior: false,
      examples: 600,
      storedAt: expect.any(String),
    });
    const { validationAuc, priorValidationAuc } = body as unknown as Record<string, number>;
    expect(validationAuc).toBeGreaterThan(priorValidationAuc);
  }, 60_000);

  it('`ranker retrain --wait` trains in the CLI process and the API reports the model it promoted', async () => {
    const { code, stdout, stderr } = await journeycast(['ranker', 'retrain', '--wait'], cliEnv());
    expect({ code, stderr }).toMatchObject({ code: 0, stderr: expect.stringMatching(/^ranker lr-\S+ promoted/m) });
    const printed = JSON.parse(stdout) as { status: string; version: string; examples: number };
    // The same examples: the new model ranks the latest of them as well as the one in use, so it is promoted.
    expect(printed).toMatchObject({ status: 'promoted', examples: 600 });
    expect((await current().expect(200)).body).toMatchObject({ version: printed.version, prior: false });
  }, 60_000);

  it('shows a retrain stored since the current model and not promoted, until a later one is', async () => {
    const inUse = (await current().expect(200)).body as { version: string };
    const meta = { promoted: false, validationAuc: 0.51, examples: { train: 400, calibration: 100, validation: 100 } };
    await f.t.app.get(ModelRepository).save('journey-ranker.candidate', 'lr-rejected', Buffer.from('{}'), meta);
    expect((await current().expect(200)).body).toMatchObject({
      version: inUse.version,
      rejectedSince: { version: 'lr-rejected', validationAuc: 0.51, examples: 600, storedAt: expect.any(String) },
    });
    const { code, stdout } = await journeycast(['ranker', 'retrain', '--wait'], cliEnv());
    expect(code).toBe(0);
    const after = (await current().expect(200)).body as Record<string, unknown>;
    expect(after).toMatchObject({ version: (JSON.parse(stdout) as { version: string }).version });
    expect(after.rejectedSince).toBeUndefined();
  }, 60_000);

  it('`ranker retrain` without --wait queues the job for the workers and prints its id', async () => {
    const { code, stdout } = await journeycast(['ranker', 'retrain'], cliEnv());
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: 'ranking.retrain:retrain' });
  }, 60_000);
});
