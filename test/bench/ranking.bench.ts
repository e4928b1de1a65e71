/**
 * Ranking + diversification for one user with 20 candidate journeys (target < 0.2 ms per user),
 * against sorting the same journeys by engagement frequency in the same run.
 */
import { Journey } from '../../src/modules/journeys/domain/journey';
import { FEATURE_NAMES, extractFeatures, summariseUser } from '../../src/modules/ranking/domain/features';
import { priorModel } from '../../src/modules/ranking/domain/prior-model';
import { rankJourneys } from '../../src/modules/ranking/domain/rank-journeys';
import { DEFAULT_RANKING_PARAMS, RankingParams } from '../../src/modules/ranking/domain/ranking-params';
import { RankingModel } from '../../src/modules/ranking/domain/ranking-model';
import { randomJourneys } from '../../src/modules/ranking/domain/testing/journeys.fixture';
import { featureRecord } from '../../src/modules/ranking/domain/training-example';
import { trainRankingModel } from '../../src/modules/ranking/domain/training';

const NOW = new Date('2026-06-01T00:00:00Z');
const USERS = 200; // distinct candidate sets, cycled so no single list stays hot in the caches
const CALLS = 50_000;

/** Mean microseconds per call and the 50th/99th percentile of 100-call batches. */
function measure(label: string, fn: (journeys: Journey[]) => unknown, lists: Journey[][]): number {
  let sink = 0;
  for (let i = 0; i < 5_000; i++) sink += (fn(lists[i % lists.length]) as unknown[]).length; // warm-up, JIT
  const batches: number[] = [];
  const start = process.hrtime.bigint();
  for (let b = 0; b < CALLS / 100; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) sink += (fn(lists[(b * 100 + i) % lists.length]) as unknown[]).length;
    batches.push(Number(process.hrtime.bigint() - t0) / 1e3 / 100);
  }
  const mean = Number(process.hrtime.bigint() - start) / 1e3 / CALLS;
  batches.sort((a, b) => a - b);
  const pct = (p: number) => batches[Math.min(batches.length - 1, Math.floor(p * batches.length))];
  console.log(`${label.padEnd(44)} mean ${mean.toFixed(2).padStart(7)} us  p50 ${pct(0.5).toFixed(2).padStart(7)} us  p99 ${pct(0.99).toFixed(2).padStart(7)} us  (${sink > 0 ? 'ok' : '-'})`);
  return mean;
}

/** A model trained on the bench journeys themselves, so the bench also covers a full-width trained model. */
function trainedModel(lists: Journey[][]): RankingModel {
  const examples = lists.flatMap((journeys, u) => {
    const user = summariseUser(journeys);
    return journeys.map((j, k) => {
      const features = extractFeatures(j, user, NOW);
      return { userId: `u${u}`, journeyName: j.name, at: new Date(NOW.getTime() - (lists.length - u) * 60_000), features: featureRecord(features), label: (features[FEATURE_NAMES.indexOf('decayed_30d_log')] + ((u * 31 + k) % 7) / 7 > 1.5 ? 1 : 0) as 0 | 1 };
    });
  });
  return trainRankingModel(examples, { now: NOW });
}

export async function run(): Promise<void> {
  const lists = Array.from({ length: USERS }, (_, u) => randomJourneys(1000 + u, 20, NOW, 64));
  const events = lists[0].reduce((s, j) => s + j.engagement.events, 0);
  console.log(`20 candidate journeys per user, 64-dim embeddings, ${events} events in the first user's journeys; ${CALLS} calls each`);
  const params = (variant: RankingParams['diversification']['variant']): RankingParams => ({
    ...DEFAULT_RANKING_PARAMS,
    diversification: { ...DEFAULT_RANKING_PARAMS.diversification, variant },
  });
  const prior = priorModel();
  const trained = trainedModel(lists);
  const baseline = measure('baseline: sort by frequency', (js) => [...js].sort((a, b) => b.engagement.events - a.engagement.events), lists);
  const none = measure('rank, prior model, no diversification', (js) => rankJourneys(js, { now: NOW, model: prior, params: params('none') }), lists);
  const single = measure('rank + diversify (single-pass), prior model', (js) => rankJourneys(js, { now: NOW, model: prior, params: params('single-pass') }), lists);
  const greedy = measure('rank + diversify (greedy), prior model', (js) => rankJourneys(js, { now: NOW, model: prior, params: params('greedy') }), lists);
  const learnt = measure('rank + diversify (single-pass), trained model', (js) => rankJourneys(js, { now: NOW, model: trained, params: params('single-pass') }), lists);
  console.log(`target < 200 us per user: single-pass ${single < 200 ? 'met' : 'MISSED'} (${single.toFixed(1)} us), greedy ${greedy < 200 ? 'met' : 'MISSED'} (${greedy.toFixed(1)} us), trained ${learnt < 200 ? 'met' : 'MISSED'}`);
  console.log(`cost over the frequency sort: x${(single / baseline).toFixed(1)} (diversification adds ${(single - none).toFixed(1)} us)`);
  await Promise.resolve();
}
