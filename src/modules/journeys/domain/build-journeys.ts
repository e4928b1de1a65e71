import { ActivityEvent } from '../../../lib/events/activity-event';
import { clusterPoints, cohesion } from './clustering';
import { Embedder } from './embedder';
import { assignJourneyIds, PreviousJourney } from './identity';
import { Journey, UserJourneysRecord } from './journey';
import { assignEvents, draftJourney, JourneyDraft } from './journey-draft';
import { DEFAULT_JOURNEY_PARAMS, JourneyParams } from './journey-params';
import { isItemShelf, tightKeywords } from './keyword-list';
import { ascendingDistinct, KeywordRecurrence } from './keyword-recurrence';
import { ExtractedEvent, extractEventKeywords, sortedOrder } from './keywords';
import { Lexicon, specificityOf } from './lexicon';
import { JourneyNamer, KeywordNamer } from './naming';
import { embedKeywords, keywordFeatures, sessionsOf } from './signals';
import { claimBySession } from './session-context';
import { sparseJourneyInput } from './sparse-journey';
import { aggregateKeywords, UserKeyword } from './user-keywords';

export interface BuildOptions {
  now: Date;
  embedder: Embedder;
  params?: JourneyParams;
  /** The user's journeys from the previous build: continuing journeys keep their ids. */
  previous?: readonly PreviousJourney[];
  namer?: JourneyNamer;
  /** Platform-wide keyword statistics; by default the embedder's own when it has them (the platform embedder). */
  lexicon?: Lexicon;
  /** How likely users are to use a keyword again; by default the embedder's own when it has it. */
  recurrence?: KeywordRecurrence;
  /** Needed for ids when the user has no events; otherwise taken from the events. */
  userId?: string;
}

function lexiconOf(options: BuildOptions): Lexicon | undefined {
  return options.lexicon ?? (options.embedder as { lexicon?: Lexicon }).lexicon;
}

function recurrenceOf(options: BuildOptions): KeywordRecurrence | undefined {
  return options.recurrence ?? (options.embedder as { recurrence?: KeywordRecurrence }).recurrence;
}

/** Builds one user's journeys from their raw events; the entry point the service and the CLI share. */
export function buildUserJourneys(events: readonly ActivityEvent[], options: BuildOptions): Journey[] {
  const userId = options.userId ?? events[0]?.userId ?? '';
  return buildJourneysFromExtracted(userId, events.map(extractEventKeywords), options);
}

/** Builds one user's journeys from extracted events (any order); ranked by the interim score. */
export function buildJourneysFromExtracted(
  userId: string,
  input: readonly ExtractedEvent[],
  options: BuildOptions,
): Journey[] {
  return buildJourneysWithMembership(userId, input, options).journeys;
}

/** Journeys and the grouping of the events behind them, for evaluating how events are grouped. */
export interface JourneysWithMembership {
  journeys: Journey[];
  /** Per input event (input order): the index of its journey in `journeys`, or -1. */
  journeyOf: number[];
  /** Per input event: its keyword cluster, journey or not (clusters too small to be journeys count), or -1. */
  clusterOf: number[];
}

/** A journey draft and its events (indices into the user's sorted events). */
type Drafted = { indices: readonly number[]; draft: JourneyDraft };

/** Builds one user's journeys and says which journey and which cluster each input event went to. */
export function buildJourneysWithMembership(
  userId: string,
  input: readonly ExtractedEvent[],
  options: BuildOptions,
): JourneysWithMembership {
  const params = options.params ?? DEFAULT_JOURNEY_PARAMS;
  const namer = options.namer ?? new KeywordNamer();
  const now = options.now.getTime();
  const order = sortedOrder(input);
  const events = order.map((i) => input[i]);
  const journeyOf = input.map(() => -1);
  const clusterOf = input.map(() => -1);
  // Keywords someone chose (queries, annotations, categories, boards) shape the clusters; words seen only in
  // item titles come after, so they join the clusters rather than define them. Words the user chose once come
  // last and only join a cluster close in meaning and session (or cluster among themselves), so the event they
  // came from finds its journey; no journey lists them, and they never reshape one.
  const lexicon = lexiconOf(options);
  const aggregated = aggregateKeywords(events, now, params, lexicon, { chosenOnce: true });
  const titleOnly = (k: UserKeyword) => k.sources.length === 1 && k.sources[0] === 'title';
  const supported = (k: UserKeyword) => k.events.length >= params.minKeywordEvents;
  const shaping = aggregated.filter(supported);
  const keywords = [
    ...shaping.filter((k) => !titleOnly(k)),
    ...shaping.filter(titleOnly),
    ...aggregated.filter((k) => !supported(k)),
  ];
  const embeddings = embedKeywords(keywords, options.embedder);
  const gapMs = params.sessionGapMinutes * 60_000;
  const sessions = sessionsOf(events, gapMs);
  const features = keywordFeatures(keywords, embeddings, sessions, params.sessionWeight);
  const clusters = clusterPoints(features, params, shaping.length);
  const assigned = assignEvents(events, keywords, clusters, params, sessions);
  const isGeneric = (word: string) => specificityOf(word, lexicon, params) < 1;
  const owned = claimBySession(events, assigned, gapMs, isGeneric);
  owned.forEach((indices, c) => indices.forEach((i) => (clusterOf[order[i]] = c)));
  const context = { now, params, namer, dimension: options.embedder.dimension };
  const recurrence = recurrenceOf(options);
  // A keyword's recency counts the sessions of its own journey, so activity elsewhere does not reorder the list.
  const useIn = (indices: readonly number[]) => {
    if (!recurrence || params.minKeywordUse <= 0) return undefined;
    const journey = { sessionOf: sessions, journeySessions: ascendingDistinct(indices.map((i) => sessions[i])) };
    return { useOf: (k: UserKeyword) => recurrence.useProbability(k, journey), sessionOf: sessions };
  };
  const drafts: Drafted[] = clusters.flatMap((members, cluster) => {
    const indices = owned[cluster];
    if (indices.length < params.minJourneyEvents || members.length < params.minJourneyKeywords) return [];
    const memberKeywords = members.map((m) => keywords[m]);
    const listed = tightKeywords(memberKeywords.filter(supported), params, useIn(indices));
    const shelf = isItemShelf(
      listed,
      indices.map((i) => events[i]),
    );
    if (listed.length === 0 || shelf) return [];
    const listedVectors = listed.map((k) => embeddings[keywords.indexOf(k)]);
    const input = { members: memberKeywords, listed, listedVectors, indices, basis: 'cluster' as const };
    return [{ indices, draft: draftJourney(events, { ...input, cohesion: cohesion(embeddings, members) }, context) }];
  });
  const thin = thinJourney(events, drafts, { ...context, embedder: options.embedder, lexicon });
  if (thin) drafts.push(thin);
  drafts.sort(
    ({ draft: a }, { draft: b }) =>
      b.score - a.score ||
      b.engagement.lastSeen.getTime() - a.engagement.lastSeen.getTime() ||
      (a.name < b.name ? -1 : 1),
  );
  const kept = withinCap(drafts, sessions, params);
  kept.forEach(({ indices }, j) => indices.forEach((i) => (journeyOf[order[i]] = j)));
  const ids = assignJourneyIds(
    userId,
    kept.map((k) => k.draft),
    options.previous ?? [],
    params.identityOverlap,
  );
  return { journeys: kept.map(({ draft }, i) => ({ id: ids[i], rank: i + 1, ...draft })), journeyOf, clusterOf };
}

/**
 * The journeys a user keeps, in score order: every ongoing journey (at most `maxOngoingJourneys`, those the
 * latest session belongs to first, then the strongest), and ended ones, strongest first, while there are fewer
 * than `maxJourneys` in all. What the user is doing now is what a notification is about, however many things
 * that is this week, and an ongoing journey left out of one build would come back in the next under a new id,
 * without its history; ended journeys only fill the room ongoing ones leave.
 */
function withinCap(
  drafts: readonly Drafted[],
  sessions: readonly number[],
  params: Pick<JourneyParams, 'maxJourneys' | 'maxOngoingJourneys'>,
): Drafted[] {
  const latest = sessions[sessions.length - 1];
  const current = (d: Drafted) => d.indices.some((i) => sessions[i] === latest);
  const ongoing = drafts.filter((d) => d.draft.stage !== 'ended');
  const kept = [...ongoing.filter(current), ...ongoing.filter((d) => !current(d))].slice(0, params.maxOngoingJourneys);
  const room = Math.max(0, params.maxJourneys - kept.length);
  const chosen = new Set([...kept, ...drafts.filter((d) => d.draft.stage === 'ended').slice(0, room)]);
  return drafts.filter((d) => chosen.has(d));
}

/**
 * The thin journey of strongest keywords, for a user with nothing ongoing: when no cluster is a journey (a
 * sparse user), or when every journey has ended and the user's other activity - the events no journey
 * claims - is what they do now. In the second case it is kept only when ongoing itself, since an ended thin
 * journey says less than the ended journeys already there. Its events index the user's sorted events.
 */
function thinJourney(
  events: readonly ExtractedEvent[],
  drafts: readonly Drafted[],
  context: Parameters<typeof draftJourney>[2] & { embedder: Embedder; lexicon?: Lexicon },
): Drafted | undefined {
  if (drafts.some(({ draft }) => draft.stage !== 'ended')) return undefined;
  const claimed = new Set(drafts.flatMap(({ indices }) => indices));
  const free = events.flatMap((_, i) => (claimed.has(i) ? [] : [i]));
  const sparse = sparseJourneyInput(
    free.map((i) => events[i]),
    context,
  );
  if (!sparse) return undefined;
  const indices = sparse.indices.map((i) => free[i]);
  const maxConfidence = context.params.sparseMaxConfidence;
  const draft = draftJourney(events, { ...sparse, indices }, { ...context, maxConfidence });
  return drafts.length === 0 || draft.stage !== 'ended' ? { indices, draft } : undefined;
}

/** The offline build's output line for a user, journeys in rank order (optionally the top N). */
export function toUserJourneysRecord(
  userId: string,
  journeys: readonly Journey[],
  generatedAt: Date,
  top?: number,
): UserJourneysRecord {
  const ranked = [...journeys].sort((a, b) => a.rank - b.rank);
  return {
    userId,
    generatedAt: generatedAt.toISOString(),
    journeys: ranked.slice(0, top ?? ranked.length).map((j) => ({
      name: j.name,
      keywords: j.keywords,
      stage: j.stage,
      type: j.type,
      confidence: j.confidence,
      score: j.score,
    })),
  };
}
