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
import { randomJourneys, seededRandom } from '../../src/modules/ranking/domain/testing/journeys.fixture';
import { featureRecord } from '../../src/modules/ranking/domain/training-example';
import { trainRankingModel } from '../../src/modules/ranking/domain/training';

const NOW = new Date('2026-06-01T00:00:00Z');
const USERS = 200; // distinct candidate sets, cycled so no single list stays hot in the caches
const ROUNDS = 21;
const CALLS_PER_ROUND = 2_000;

type Variant = [label: string, fn: (journeys: Journey[]) => unknown[]];

/**
 * Runs the variants in interleaved rounds (so a busy neighbour slows all of them alike) and prints,
 * per variant, the median and best round's mean microseconds per call.
 */
function measure(variants: Variant[], lists: Journey[][]): Map<string, number> {
  let sink = 0;
  for (const [, fn] of variants) for (let i = 0; i < 5_000; i++) sink += fn(lists[i % lists.length]).length; // JIT warm-up
  const rounds = new Map<string, number[]>(variants.map(([label]) => [label, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [label, fn] of variants) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < CALLS_PER_ROUND; i++) sink += fn(lists[(r * CALLS_PER_ROUND + i) % lists.length]).length;
      rounds.get(label)!.push(Number(process.hrtime.bigint() - t0) / 1e3 / CALLS_PER_ROUND);
    }
  }
  const medians = new Map<string, number>();
  for (const [label, times] of rounds) {
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    medians.set(label, median);
    console.log(
      `${label.padEnd(46)} median ${median.toFixed(2).padStart(7)} us  best ${times[0].toFixed(2).padStart(7)} us  worst ${times[times.length - 1].toFixed(2).padStart(7)} us per user`,
    );
  }
  if (sink === 0) console.log('(no output)');
  return medians;
}

/** A model trained on the bench journeys themselves, so the bench also covers a full-width trained model. */
function trainedModel(lists: Journey[][]): RankingModel {
  const examples = lists.flatMap((journeys, u) => {
    const user = summariseUser(journeys);
    return journeys.map((j, k) => {
      const features = extractFeatures(j, user, NOW);
      return {
        userId: `u${u}`,
        journeyName: j.name,
        at: new Date(NOW.getTime() - (lists.length - u) * 60_000),
        features: featureRecord(features),
        label: (features[FEATURE_NAMES.indexOf('decayed_30d_log')] + ((u * 31 + k) % 7) / 7 > 1.5 ? 1 : 0) as 0 | 1,
      };
    });
  });
  return trainRankingModel(examples, { now: NOW });
}

/** Offline training time on `n` synthetic examples with every feature (Newton, 34 features). */
function measureTraining(n: number): void {
  const random = seededRandom(5);
  const examples = Array.from({ length: n }, (_, i) => {
    const features = Object.fromEntries(FEATURE_NAMES.map((name) => [name, random()]));
    const label = (random() < features.decayed_30d_log * (1 - features.days_since_last_log) ? 1 : 0) as 0 | 1;
    return {
      userId: `u${i % 5000}`,
      journeyName: `j${i % 7}`,
      at: new Date(NOW.getTime() - (n - i) * 1000),
      features,
      label,
    };
  });
  const t0 = process.hrtime.bigint();
  const model = trainRankingModel(examples, { now: NOW });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const r = model.report!;
  console.log(
    `training on ${n} examples x ${FEATURE_NAMES.length} features: ${ms.toFixed(0)} ms (${r.optimiser.iterations} Newton iterations; validation AUC ${r.validation.auc.toFixed(3)})`,
  );
}

export async function run(): Promise<void> {
  const lists = Array.from({ length: USERS }, (_, u) => randomJourneys(1000 + u, 20, NOW, 64));
  const events = lists[0].reduce((s, j) => s + j.engagement.events, 0);
  console.log(
    `20 candidate journeys per user, 64-dim embeddings, ${events} events in the first user's journeys; ${ROUNDS} interleaved rounds of ${CALLS_PER_ROUND} users per variant`,
  );
  const params = (variant: RankingParams['diversification']['variant']): RankingParams => ({
    ...DEFAULT_RANKING_PARAMS,
    diversification: { ...DEFAULT_RANKING_PARAMS.diversification, variant },
  });
  const prior = priorModel();
  const trained = trainedModel(lists);
  const variants: Variant[] = [
    ['baseline: sort by frequency', (js) => [...js].sort((a, b) => b.engagement.events - a.engagement.events)],
    [
      'rank, prior model, no diversification',
      (js) => rankJourneys(js, { now: NOW, model: prior, params: params('none') }),
    ],
    [
      'rank + diversify (single-pass), prior model',
      (js) => rankJourneys(js, { now: NOW, model: prior, params: params('single-pass') }),
    ],
    [
      'rank + diversify (greedy), prior model',
      (js) => rankJourneys(js, { now: NOW, model: prior, params: params('greedy') }),
    ],
    [
      'rank + diversify (single-pass), trained model',
      (js) => rankJourneys(js, { now: NOW, model: trained, params: params('single-pass') }),
    ],
  ];
  const t = measure(variants, lists);
  const [baseline, none, single, greedy, learnt] = variants.map(([label]) => t.get(label)!);
  const verdict = (us: number) => `${us.toFixed(1)} us ${us < 200 ? 'met' : 'MISSED'}`;
  console.log(
    `target < 200 us per user (medians): single-pass ${verdict(single)}, greedy ${verdict(greedy)}, trained ${verdict(learnt)}`,
  );
  console.log(
    `cost over the frequency sort: x${(single / baseline).toFixed(0)}; diversification adds ${(single - none).toFixed(1)} us (single-pass), ${(greedy - none).toFixed(1)} us (greedy)`,
  );
  measureTraining(100_000);
  await Promise.resolve();
}
