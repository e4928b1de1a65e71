import { adjustedRandIndex, bcubed, LabelledItem } from '../../../src/lib/synthetic/cluster-metrics';
import { PlantedJourney } from '../../../src/lib/synthetic/population';
import { THEMES } from '../../../src/lib/synthetic/themes';
import { contentTokens, keywordKey } from '../../../src/lib/text/normalize';
import { buildJourneysFromExtracted } from '../../../src/modules/journeys/domain/build-journeys';
import { Embedder } from '../../../src/modules/journeys/domain/embedder';
import { Journey } from '../../../src/modules/journeys/domain/journey';
import { JourneyParams } from '../../../src/modules/journeys/domain/journey-params';
import { EvalUser } from './users';

const keyOf = (text: string) => keywordKey(contentTokens(text));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const fmt = (x: number) => x.toFixed(3);

/** Targets of the synthetic population, whose planted journeys are known. */
export const SYNTHETIC_TARGETS = { bcubedF1: 0.85, stage: 0.9 };

/** The planted journey behind each of the user's keyword keys: the label of most events mentioning it. */
function keywordLabels(user: EvalUser, truth: readonly PlantedJourney[]): Map<string, string> {
  const labelOf = new Map<string, string>();
  for (const t of truth) for (const id of t.eventIds) labelOf.set(id, t.id);
  const votes = new Map<string, Map<string, number>>();
  for (const e of user.events) {
    const label = labelOf.get(e.id) ?? 'noise';
    for (const key of new Set(e.extracted.mentions.map((m) => m.key))) {
      const v = votes.get(key) ?? new Map<string, number>();
      v.set(label, (v.get(label) ?? 0) + 1);
      votes.set(key, v);
    }
  }
  const out = new Map<string, string>();
  for (const [key, v] of votes) {
    const [label] = [...v].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    out.set(key, label === 'noise' ? `noise:${key}` : label);
  }
  return out;
}

function themeVocabulary(themeId: string): Set<string> {
  const theme = THEMES.find((t) => t.id === themeId)!;
  return new Set([theme.name, ...theme.annotations, ...theme.boards, ...theme.queries].map(keyOf));
}

/** Strict: the name shares a word with the planted name ("Kitchen Remodel" for "Kitchen Renovation"). */
function namingStrictHit(journey: Journey, planted: PlantedJourney): boolean {
  const nameTokens = new Set(keyOf(journey.name).split(' '));
  return keyOf(planted.name)
    .split(' ')
    .some((t) => nameTokens.has(t));
}

/** Lenient: strict, or the name is any phrase of the theme's vocabulary ("Farmhouse Sink"). */
function namingHit(journey: Journey, planted: PlantedJourney): boolean {
  return namingStrictHit(journey, planted) || themeVocabulary(planted.themeId).has(keyOf(journey.name));
}

/**
 * Journeys against the planted truth: B-cubed agreement of keyword groupings, recovery, naming and stage
 * accuracy. Returns whether the synthetic targets hold.
 */
export function evaluatePlanted(
  users: readonly EvalUser[],
  truth: readonly PlantedJourney[],
  embedder: Embedder,
  now: Date,
  params: JourneyParams,
): boolean {
  const truthOf = new Map<string, PlantedJourney[]>();
  for (const t of truth) truthOf.set(t.userId, [...(truthOf.get(t.userId) ?? []), t]);
  const items: LabelledItem[] = [];
  let planted = 0;
  let recovered = 0;
  const stage = { pairs: 0, both: 0, type: 0, stage: 0 };
  let names = 0;
  let strictNames = 0;
  let journeysOut = 0;
  const keywordCounts: number[] = [];
  for (const user of users) {
    const userTruth = truthOf.get(user.userId) ?? [];
    const journeys = buildJourneysFromExtracted(
      user.userId,
      user.events.map((e) => e.extracted),
      { now, embedder, params },
    );
    const labels = keywordLabels(user, userTruth);
    const matched = new Map<string, Journey>();
    journeysOut += journeys.length;
    for (const j of journeys) {
      keywordCounts.push(j.keywords.length);
      const jl = j.keywords.map((k) => labels.get(keyOf(k.text)) ?? `noise:${k.text}`);
      jl.forEach((label) => items.push({ predicted: `${user.userId}/${j.id}`, truth: `${user.userId}/${label}` }));
      const counts = new Map<string, number>();
      for (const l of jl) counts.set(l, (counts.get(l) ?? 0) + 1);
      const [major] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
      if (!major.startsWith('noise:') && !matched.has(major)) matched.set(major, j);
    }
    for (const t of userTruth) {
      planted++;
      const j = matched.get(t.id);
      if (!j) continue;
      recovered++;
      stage.pairs++;
      if (j.type === t.type) stage.type++;
      if (j.stage === t.stage) stage.stage++;
      if (j.type === t.type && j.stage === t.stage) stage.both++;
      if (namingHit(j, t)) names++;
      if (namingStrictHit(j, t)) strictNames++;
    }
  }
  const b = bcubed(items);
  const pairs = Math.max(1, stage.pairs);
  const stageAccuracy = stage.both / pairs;
  console.log(
    `planted journeys: users ${users.length}, planted ${planted}, inferred ${journeysOut}, keywords per journey ${fmt(mean(keywordCounts))}`,
  );
  console.log(
    `  B-cubed precision ${fmt(b.precision)} recall ${fmt(b.recall)} F1 ${fmt(b.f1)}   (target F1 >= ${SYNTHETIC_TARGETS.bcubedF1})`,
  );
  console.log(`  adjusted Rand index ${fmt(adjustedRandIndex(items))}`);
  console.log(`  planted journeys recovered ${fmt(recovered / Math.max(1, planted))}`);
  console.log(
    `  naming hit rate ${fmt(names / pairs)} (a theme phrase); shares a word with the planted name ${fmt(strictNames / pairs)}`,
  );
  console.log(
    `  stage accuracy (type and stage) ${fmt(stageAccuracy)}   (target >= ${SYNTHETIC_TARGETS.stage}); type ${fmt(stage.type / pairs)}, ongoing/ended ${fmt(stage.stage / pairs)}`,
  );
  return b.f1 >= SYNTHETIC_TARGETS.bcubedF1 && stageAccuracy >= SYNTHETIC_TARGETS.stage;
}
