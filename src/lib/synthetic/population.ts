import { EventType } from '../events/activity-event';
import { Prng } from './prng';
import { varyQuery } from './query-variants';
import { applyHabit, coarsen, drawHabits, Realism, UserHabits } from './realism';
import { NOISE_QUERIES, NOISE_TITLES, THEMES, Theme } from './themes';

/** The JSON form of an activity event, exactly what POST /v1/events and the JSONL import accept. */
export interface RawEvent {
  id: string;
  userId: string;
  type: EventType;
  occurredAt: string;
  query?: string;
  item?: { id: string; title?: string; annotations?: string[]; categories?: string[] };
  board?: { name: string };
}

/** Ground truth for one journey planted in a user's history; inference never sees it. */
export interface PlantedJourney {
  id: string;
  userId: string;
  themeId: string;
  name: string;
  type: 'situational' | 'evergreen';
  stage: 'ongoing' | 'ended';
  eventIds: string[];
}

export interface SyntheticPopulation {
  events: RawEvent[];
  truth: PlantedJourney[];
  noiseEventIds: string[];
}

export interface PopulationOptions {
  seed: number;
  users: number;
  now: Date;
  /** Average events per user (default 60); about 12% of them are noise. */
  eventsPerUser?: number;
  /** Real activity's hardships (heavy-tailed counts, one-habit users, coarse clocks, interleaving, shelves). */
  realism?: Realism;
}

const DAY = 86_400_000;
const MINUTE = 60_000;
const NOISE_SHARE = 0.12;

interface Draft {
  at: number;
  journey: number;
  session: number;
  body: Omit<RawEvent, 'id' | 'userId' | 'occurredAt'>;
}

function itemOf(theme: Theme, index: number): NonNullable<RawEvent['item']> {
  const k = index % theme.titles.length;
  const n = theme.annotations.length;
  return {
    id: `${theme.id}-${k}`,
    title: theme.titles[k],
    annotations: [theme.annotations[k % n], theme.annotations[(k + 1 + (k % 2)) % n]],
    categories: [theme.categories[k % theme.categories.length]],
  };
}

function sessionEvent(theme: Theme, prng: Prng, first: boolean): Draft['body'] {
  const roll = prng.next();
  if ((first && roll < 0.7) || (!first && roll < 0.35)) {
    return { type: 'search', query: varyQuery(prng.pick(theme.queries), prng) };
  }
  if (roll < 0.95) {
    const type: EventType = roll < 0.6 ? 'view' : roll < 0.75 ? 'click' : 'save';
    const item = itemOf(theme, prng.int(0, theme.titles.length - 1));
    return type === 'save' && prng.chance(0.5)
      ? { type, item, board: { name: prng.pick(theme.boards) } }
      : { type, item };
  }
  return { type: 'board', board: { name: prng.pick(theme.boards) } };
}

/** Span [start, end] of a planted journey, by type and stage. */
function spanOf(type: Theme['type'], stage: PlantedJourney['stage'], now: number, prng: Prng): [number, number] {
  if (type === 'evergreen') return [now - prng.float(120, 240) * DAY, now - prng.float(0, 6) * DAY];
  const end = stage === 'ongoing' ? now - prng.float(0, 4) * DAY : now - prng.float(40, 150) * DAY;
  return [end - prng.float(10, 40) * DAY, end];
}

type Body = Draft['body'];

function plantJourney(
  theme: Theme,
  journey: number,
  budget: number,
  now: number,
  prng: Prng,
  shape: (body: Body) => Body = (body) => body,
): { drafts: Draft[]; stage: PlantedJourney['stage']; span: [number, number] } {
  const stage = theme.type === 'evergreen' || prng.chance(0.5) ? 'ongoing' : 'ended';
  const [start, end] = spanOf(theme.type, stage, now, prng);
  // Hobbies come back in short, regular sessions; projects come in bursts of longer sessions.
  const sizes: number[] = [];
  for (let left = budget; left > 0; left -= sizes[sizes.length - 1]) {
    sizes.push(Math.min(theme.type === 'evergreen' ? prng.int(1, 3) : prng.int(2, 6), left));
  }
  const drafts: Draft[] = [];
  sizes.forEach((size, k) => {
    // First and last sessions sit on the span's ends so the planted span is the real one.
    const slot = sizes.length === 1 ? 0 : k / (sizes.length - 1);
    const jitter = k === 0 || k === sizes.length - 1 ? 0 : prng.float(-0.3, 0.3) / (sizes.length - 1);
    const at =
      theme.type === 'evergreen' || k === 0 || k === sizes.length - 1
        ? start + (slot + jitter) * (end - start)
        : prng.float(start, end);
    let t = Math.min(at, end - 45 * MINUTE);
    for (let i = 0; i < size; i++) {
      drafts.push({ at: t, journey, session: journey * 1000 + k, body: shape(sessionEvent(theme, prng, i === 0)) });
      t += prng.float(0.5, 8) * MINUTE;
    }
  });
  return { drafts, stage, span: [start, end] };
}

/**
 * Moves some sessions into the middle of another journey's session within the moved journey's span, one or
 * two minutes between events, so two tasks interleave in one sitting.
 */
function interleave(drafts: Draft[], spans: ReadonlyArray<[number, number]>, chance: number, prng: Prng): void {
  const sessions = [...new Set(drafts.map((d) => d.session))];
  for (const session of sessions) {
    if (!prng.chance(chance)) continue;
    const moved = drafts.filter((d) => d.session === session);
    const [start, end] = spans[moved[0].journey];
    const anchors = drafts.filter((d) => d.journey !== moved[0].journey && d.at >= start && d.at <= end);
    if (anchors.length === 0) continue;
    let t = prng.pick(anchors).at + prng.float(-2, 2) * MINUTE;
    for (const d of moved) {
      d.at = Math.min(t, end);
      t += prng.float(1, 3) * MINUTE;
    }
  }
}

function noiseEvent(prng: Prng, own: ReadonlySet<string>): Draft['body'] {
  if (prng.chance(0.3)) {
    const theme = prng.pick(THEMES.filter((t) => !own.has(t.id)));
    return sessionEvent(theme, prng, true);
  }
  if (prng.chance(0.6)) return { type: 'search', query: prng.pick(NOISE_QUERIES) };
  const k = prng.int(0, NOISE_TITLES.length - 1);
  return { type: prng.pick(['view', 'click'] as const), item: { id: `noise-${k}`, title: NOISE_TITLES[k] } };
}

/** Mixes a user's index into the seed so every user can be generated on its own, in any order. */
function userSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * One user's events (ascending time) and planted journeys; deterministic for (seed, index). With `realism`,
 * the user's event count, habits and clock are drawn from it and `eventsPerUser` is ignored.
 */
export function generateUser(
  seed: number,
  index: number,
  now: Date,
  eventsPerUser = 60,
  realism?: Realism,
): SyntheticPopulation {
  const prng = new Prng(userSeed(seed, index));
  const userId = `user-${String(index).padStart(6, '0')}`;
  const nowMs = now.getTime() - 10 * MINUTE;
  const habits: UserHabits | undefined = realism && drawHabits(prng, realism);
  // A user with a dozen events pursues one or two things, not five. (Without realism the draws keep their
  // original order, so seeded populations stay what tests and evals were written against.)
  const themes = habits
    ? prng.sample(THEMES, prng.int(1, Math.max(1, Math.min(5, Math.round(habits.total / 8)))))
    : prng.sample(THEMES, prng.int(2, 5));
  const total = habits?.total ?? Math.max(1, Math.round(eventsPerUser * prng.float(0.7, 1.3)));
  const noiseCount = Math.round(total * NOISE_SHARE);
  const shares = themes.map(() => prng.float(0.6, 1.4));
  const shareSum = shares.reduce((a, b) => a + b, 0);
  const drafts: Draft[] = [];
  const spans: Array<[number, number]> = [];
  const stages = themes.map((theme, j) => {
    const budget = Math.max(habits ? 2 : 6, Math.round(((total - noiseCount) * shares[j]) / shareSum));
    const shape = habits && ((body: Body) => applyHabit(body, habits.habit, theme, prng));
    const planted = plantJourney(theme, j, budget, nowMs, prng, shape);
    drafts.push(...planted.drafts);
    spans.push(planted.span);
    return planted.stage;
  });
  if (realism && themes.length > 1) interleave(drafts, spans, realism.interleaveChance, prng);
  const own = new Set(themes.map((t) => t.id));
  const journeyDrafts = drafts.length;
  for (let i = 0; i < noiseCount; i++) {
    // Some noise lands minutes after journey activity: time proximity alone must not glue it in.
    const at = prng.chance(0.15)
      ? drafts[prng.int(0, journeyDrafts - 1)].at + prng.float(1, 6) * MINUTE
      : nowMs - prng.float(0, 240) * DAY;
    const body = noiseEvent(prng, own);
    const shaped =
      habits && habits.habit !== 'mixed'
        ? applyHabit(body, habits.habit, prng.pick(THEMES.filter((t) => !own.has(t.id))), prng)
        : body;
    drafts.push({ at: Math.min(at, nowMs), journey: -1, session: -1, body: shaped });
  }
  if (habits) for (const d of drafts) d.at = coarsen(d.at, habits.coarse);
  drafts.sort((a, b) => a.at - b.at || a.journey - b.journey);
  const truth: PlantedJourney[] = themes.map((theme, j) => ({
    id: `${userId}:${theme.id}`,
    userId,
    themeId: theme.id,
    name: theme.name,
    type: theme.type,
    stage: stages[j],
    eventIds: [],
  }));
  const noiseEventIds: string[] = [];
  const events = drafts.map((d, i): RawEvent => {
    const id = `${userId}-${String(i).padStart(5, '0')}`;
    if (d.journey < 0) noiseEventIds.push(id);
    else truth[d.journey].eventIds.push(id);
    return { id, userId, occurredAt: new Date(Math.round(d.at)).toISOString(), ...d.body };
  });
  return { events, truth, noiseEventIds };
}

/** A seeded population of users with overlapping planted journeys, noise, and the ground truth. */
export function generatePopulation(options: PopulationOptions): SyntheticPopulation {
  const population: SyntheticPopulation = { events: [], truth: [], noiseEventIds: [] };
  for (let i = 0; i < options.users; i++) {
    const user = generateUser(options.seed, i, options.now, options.eventsPerUser, options.realism);
    for (const e of user.events) population.events.push(e);
    population.truth.push(...user.truth);
    population.noiseEventIds.push(...user.noiseEventIds);
  }
  return population;
}
