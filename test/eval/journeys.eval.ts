/**
 * `npm run eval:journeys [-- options]`: journey inference against a synthetic population with planted
 * journeys. The algorithm sees only the events; the ground truth is used here, for scoring.
 *   --users N (400)  --seed S (2026)  --events-per-user E (80)  --now ISO (2026-03-01T12:00:00Z)
 *   --params JSON  inference parameter overrides (the "inference" section of config/journeys.json)
 *   --embedder JSON  embedder training overrides (the "embedder" section)
 *   --write-events FILE  write the population as JSONL (the `journeys build` input) and stop
 *   --write-truth FILE   also write the planted journeys as JSONL
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { validateEvent } from '../../src/lib/events/validate-event';
import { adjustedRandIndex, bcubed, LabelledItem } from '../../src/lib/synthetic/cluster-metrics';
import { generatePopulation, generateUser, PlantedJourney, RawEvent } from '../../src/lib/synthetic/population';
import { THEMES } from '../../src/lib/synthetic/themes';
import { contentTokens, keywordKey } from '../../src/lib/text/normalize';
import { buildJourneysFromExtracted } from '../../src/modules/journeys/domain/build-journeys';
import { Embedder } from '../../src/modules/journeys/domain/embedder';
import { Journey } from '../../src/modules/journeys/domain/journey';
import { JourneyParams, resolveJourneyParams } from '../../src/modules/journeys/domain/journey-params';
import { ExtractedEvent, extractEventKeywords, sortEvents } from '../../src/modules/journeys/domain/keywords';
import { PlatformTrainingOptions, trainPlatformEmbedder } from '../../src/modules/journeys/domain/platform-training';

interface UserData {
  userId: string;
  events: Array<{ id: string; extracted: ExtractedEvent }>;
  truth: PlantedJourney[];
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const keyOf = (text: string) => keywordKey(contentTokens(text));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const fmt = (x: number) => x.toFixed(3);

function groupUsers(events: RawEvent[], truth: PlantedJourney[], now: Date): UserData[] {
  const users = new Map<string, UserData>();
  for (const raw of events) {
    const v = validateEvent(raw, now);
    if (!v.ok) throw new Error(`generator produced an invalid event ${raw.id}`);
    let u = users.get(raw.userId);
    if (!u) users.set(raw.userId, (u = { userId: raw.userId, events: [], truth: [] }));
    u.events.push({ id: raw.id, extracted: extractEventKeywords(v.event) });
  }
  for (const t of truth) users.get(t.userId)?.truth.push(t);
  for (const u of users.values()) u.events.sort((a, b) => a.extracted.at - b.extracted.at);
  return [...users.values()];
}

/** The planted journey behind each of the user's keyword keys: the label of most events mentioning it. */
function keywordLabels(user: UserData): Map<string, string> {
  const labelOf = new Map<string, string>();
  for (const t of user.truth) for (const id of t.eventIds) labelOf.set(id, t.id);
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

function evaluateStructure(users: UserData[], embedder: Embedder, now: Date, params: JourneyParams): void {
  const items: LabelledItem[] = [];
  let planted = 0;
  let recovered = 0;
  const stage = { pairs: 0, both: 0, type: 0, stage: 0 };
  let names = 0;
  let strictNames = 0;
  let journeysOut = 0;
  const keywordCounts: number[] = [];
  for (const user of users) {
    const journeys = buildJourneysFromExtracted(
      user.userId,
      user.events.map((e) => e.extracted),
      { now, embedder, params },
    );
    const labels = keywordLabels(user);
    const matched = new Map<string, Journey>();
    journeysOut += journeys.length;
    for (const j of journeys) {
      keywordCounts.push(j.keywords.length);
      const jl = j.keywords.map((k) => labels.get(keyOf(k.text)) ?? `noise:${k.text}`);
      jl.forEach((truth) => items.push({ predicted: `${user.userId}/${j.id}`, truth: `${user.userId}/${truth}` }));
      const counts = new Map<string, number>();
      for (const l of jl) counts.set(l, (counts.get(l) ?? 0) + 1);
      const [major] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
      if (!major.startsWith('noise:') && !matched.has(major)) matched.set(major, j);
    }
    for (const t of user.truth) {
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
  console.log(
    `users ${users.length}, planted journeys ${planted}, inferred journeys ${journeysOut}, keywords per journey ${fmt(mean(keywordCounts))}`,
  );
  console.log(`B-cubed precision ${fmt(b.precision)} recall ${fmt(b.recall)} F1 ${fmt(b.f1)}   (target F1 >= 0.85)`);
  console.log(`adjusted Rand index ${fmt(adjustedRandIndex(items))}`);
  console.log(`planted journeys recovered ${fmt(recovered / planted)}`);
  console.log(
    `naming hit rate ${fmt(names / Math.max(1, stage.pairs))} (a theme phrase); shares a word with the planted name ${fmt(strictNames / Math.max(1, stage.pairs))}`,
  );
  console.log(
    `stage accuracy (type and stage) ${fmt(stage.both / Math.max(1, stage.pairs))}   (target >= 0.9); type ${fmt(stage.type / Math.max(1, stage.pairs))}, ongoing/ended ${fmt(stage.stage / Math.max(1, stage.pairs))}`,
  );
}

/** Hold out the last 20% of each timeline; compare coverage of top-3 journeys vs the most frequent keywords. */
function evaluateFuture(users: UserData[], training: Partial<PlatformTrainingOptions>, params: JourneyParams): void {
  const splits = users.map((u) => {
    const cut = Math.floor(u.events.length * 0.8);
    return {
      user: u,
      train: u.events.slice(0, cut).map((e) => e.extracted),
      test: u.events.slice(cut).map((e) => e.extracted),
    };
  });
  const embedder = trainPlatformEmbedder(() => splits.map((s) => s.train), training);
  const journeyCoverage: number[] = [];
  const baselineCoverage: number[] = [];
  let wins = 0;
  let ties = 0;
  for (const { user, train, test } of splits) {
    if (train.length === 0 || test.length === 0) continue;
    const now = new Date(train[train.length - 1].at);
    const journeys = buildJourneysFromExtracted(user.userId, train, { now, embedder, params });
    const chosen = new Set(journeys.slice(0, 3).flatMap((j) => j.keywords.map((k) => keyOf(k.text))));
    const frequency = new Map<string, number>();
    for (const e of sortEvents(train)) {
      for (const key of new Set(e.mentions.map((m) => m.key))) frequency.set(key, (frequency.get(key) ?? 0) + 1);
    }
    const baseline = new Set(
      [...frequency]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, chosen.size)
        .map(([k]) => k),
    );
    const cover = (set: Set<string>) => test.filter((e) => e.mentions.some((m) => set.has(m.key))).length / test.length;
    const j = cover(chosen);
    const f = cover(baseline);
    journeyCoverage.push(j);
    baselineCoverage.push(f);
    if (j > f) wins++;
    else if (j === f) ties++;
  }
  const n = journeyCoverage.length;
  console.log(
    `future engagement (last 20% held out, equal keyword budget): top-3 journeys cover ${fmt(mean(journeyCoverage))}, most frequent keywords ${fmt(mean(baselineCoverage))}`,
  );
  console.log(
    `  journeys ahead for ${fmt(wins / n)} of users, tied ${fmt(ties / n)}, behind ${fmt((n - wins - ties) / n)}`,
  );
}

/** Writes the population user by user, so millions of events never sit in memory at once. */
function writePopulation(
  seed: number,
  users: number,
  now: Date,
  eventsPerUser: number,
  eventsFile: string,
  truthFile: string,
): void {
  const events = openSync(eventsFile, 'w');
  const truth = truthFile ? openSync(truthFile, 'w') : undefined;
  let count = 0;
  for (let i = 0; i < users; i++) {
    const user = generateUser(seed, i, now, eventsPerUser);
    writeSync(events, user.events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    if (truth !== undefined) writeSync(truth, user.truth.map((t) => `${JSON.stringify(t)}\n`).join(''));
    count += user.events.length;
  }
  closeSync(events);
  if (truth !== undefined) closeSync(truth);
  console.log(`wrote ${count} events of ${users} users to ${eventsFile} (now = ${now.toISOString()})`);
}

function main(): void {
  const seed = Number(option('seed', '2026'));
  const now = new Date(option('now', '2026-03-01T12:00:00Z'));
  const userCount = Number(option('users', '400'));
  const eventsPerUser = Number(option('events-per-user', '80'));
  const eventsFile = option('write-events', '');
  if (eventsFile) return writePopulation(seed, userCount, now, eventsPerUser, eventsFile, option('write-truth', ''));
  const population = generatePopulation({ seed, users: userCount, now, eventsPerUser });
  const users = groupUsers(population.events, population.truth, now);
  const training = { seed, ...(JSON.parse(option('embedder', '{}')) as Partial<PlatformTrainingOptions>) };
  const started = Date.now();
  const embedder = trainPlatformEmbedder(() => users.map((u) => u.events.map((e) => e.extracted)), training);
  console.log(
    `events ${population.events.length}; platform embedder: ${embedder.vocab.length} keywords, trained in ${Date.now() - started} ms`,
  );
  const overrides = JSON.parse(option('params', '{}')) as Record<string, unknown>;
  const params = resolveJourneyParams(overrides);
  if (Object.keys(overrides).length > 0) console.log(`parameter overrides: ${JSON.stringify(overrides)}`);
  evaluateStructure(users, embedder, now, params);
  evaluateFuture(users, training, params);
}

main();
