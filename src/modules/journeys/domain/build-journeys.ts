import { ActivityEvent } from '../../../lib/events/activity-event';
import { clusterPoints, cohesion } from './clustering';
import { journeyConfidence, interimScore } from './confidence';
import { dot, Embedder, meanVector } from './embedder';
import { assignJourneyIds, PreviousJourney } from './identity';
import { Journey, JourneyEngagement, JourneyKeyword, KeywordSource, UserJourneysRecord } from './journey';
import { DEFAULT_JOURNEY_PARAMS, JourneyParams } from './journey-params';
import { tightKeywords } from './keyword-list';
import { ExtractedEvent, extractEventKeywords, sortedOrder } from './keywords';
import { JourneyNamer, KeywordNamer } from './naming';
import { embedKeywords, keywordFeatures, sessionsOf } from './signals';
import { classifyStage } from './stage';
import { aggregateKeywords, UserKeyword } from './user-keywords';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

export interface BuildOptions {
  now: Date;
  embedder: Embedder;
  params?: JourneyParams;
  /** The user's journeys from the previous build: continuing journeys keep their ids. */
  previous?: readonly PreviousJourney[];
  namer?: JourneyNamer;
  /** Needed for ids when the user has no events; otherwise taken from the events. */
  userId?: string;
}

/** Builds one user's journeys from their raw events; the entry point the service and the CLI share. */
export function buildUserJourneys(events: readonly ActivityEvent[], options: BuildOptions): Journey[] {
  const userId = options.userId ?? events[0]?.userId ?? '';
  return buildJourneysFromExtracted(userId, events.map(extractEventKeywords), options);
}

/** Each cluster's events: an event joins the cluster with the most evidence in it, or none without enough. */
function assignEvents(
  events: readonly ExtractedEvent[],
  keywords: readonly UserKeyword[],
  clusters: readonly number[][],
  params: JourneyParams,
): number[][] {
  const clusterOf = new Map<string, number>();
  clusters.forEach((members, c) => members.forEach((m) => clusterOf.set(keywords[m].key, c)));
  const owned: number[][] = clusters.map(() => []);
  const votes = new Float64Array(clusters.length);
  events.forEach((e, index) => {
    votes.fill(0);
    for (const m of e.mentions) {
      const c = clusterOf.get(m.key);
      if (c === undefined) continue;
      const word = m.source !== 'search' && !m.key.includes(' ');
      votes[c] += (params.sourceWeights[m.source] ?? 1) * (word ? 0.5 : 1);
    }
    let best = -1;
    let bestVote = params.minEventEvidence - 1e-9;
    for (let c = 0; c < votes.length; c++) if (votes[c] > bestVote) [best, bestVote] = [c, votes[c]];
    if (best >= 0) owned[best].push(index);
  });
  return owned;
}

function engagementOf(
  events: readonly ExtractedEvent[],
  indices: readonly number[],
  members: readonly UserKeyword[],
): JourneyEngagement {
  const timestamps = indices.map((i) => events[i].at);
  const actions: Record<string, number> = {};
  for (const i of indices) actions[events[i].type] = (actions[events[i].type] ?? 0) + 1;
  const sources = [...new Set(members.flatMap((k) => k.sources))].sort() as KeywordSource[];
  return {
    events: indices.length,
    actions,
    sources,
    distinctDays: new Set(timestamps.map((t) => Math.floor(t / DAY))).size,
    distinctWeeks: new Set(timestamps.map((t) => Math.floor(t / WEEK))).size,
    firstSeen: new Date(timestamps[0]),
    lastSeen: new Date(timestamps[timestamps.length - 1]),
    timestamps,
  };
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
  // item titles come last, so they join the clusters rather than define them.
  const aggregated = aggregateKeywords(events, now, params);
  const titleOnly = (k: UserKeyword) => k.sources.length === 1 && k.sources[0] === 'title';
  const keywords = [...aggregated.filter((k) => !titleOnly(k)), ...aggregated.filter(titleOnly)];
  if (keywords.length === 0) return { journeys: [], journeyOf, clusterOf };
  const embeddings = embedKeywords(keywords, options.embedder);
  const features = keywordFeatures(
    keywords,
    embeddings,
    sessionsOf(events, params.sessionGapMinutes * 60_000),
    params.sessionWeight,
  );
  const clusters = clusterPoints(features, params);
  const owned = assignEvents(events, keywords, clusters, params);
  owned.forEach((indices, c) => indices.forEach((i) => (clusterOf[order[i]] = c)));
  const drafts = clusters.flatMap((members, c) => {
    const indices = owned[c];
    if (indices.length < params.minJourneyEvents || members.length < params.minJourneyKeywords) return [];
    const memberKeywords = members.map((m) => keywords[m]);
    const listed = tightKeywords(memberKeywords, params);
    if (listed.length === 0) return [];
    const listedVectors = listed.map((k) => embeddings[keywords.indexOf(k)]);
    const embedding = meanVector(
      listedVectors,
      listed.map((k) => k.weight),
      options.embedder.dimension,
    );
    const engagement = engagementOf(events, indices, memberKeywords);
    const { type, stage } = classifyStage(engagement.timestamps, now, params);
    const confidence = journeyConfidence({
      cohesion: cohesion(embeddings, members),
      events: engagement.events,
      distinctDays: engagement.distinctDays,
      sources: engagement.sources.length,
    });
    const top = listed[0].weight;
    const journeyKeywords: JourneyKeyword[] = listed.map((k) => ({
      text: k.text,
      weight: Math.round((k.weight / top) * 1000) / 1000,
    }));
    const name = namer.name(
      listed.map((k, j) => ({
        key: k.key,
        text: k.text,
        weight: k.weight / top,
        centrality: dot(listedVectors[j], embedding),
        sources: k.sources,
      })),
    );
    const score = interimScore(confidence, (now - engagement.lastSeen.getTime()) / DAY, params.recencyHalfLifeDays);
    return [
      {
        cluster: c,
        draft: {
          name,
          keywords: journeyKeywords,
          stage,
          type,
          confidence,
          score,
          embedding: Array.from(embedding),
          engagement,
        },
      },
    ];
  });
  drafts.sort(
    ({ draft: a }, { draft: b }) =>
      b.score - a.score ||
      b.engagement.lastSeen.getTime() - a.engagement.lastSeen.getTime() ||
      (a.name < b.name ? -1 : 1),
  );
  const kept = drafts.slice(0, params.maxJourneys);
  kept.forEach(({ cluster }, j) => owned[cluster].forEach((i) => (journeyOf[order[i]] = j)));
  const ids = assignJourneyIds(
    userId,
    kept.map((k) => k.draft),
    options.previous ?? [],
    params.identityOverlap,
  );
  return { journeys: kept.map(({ draft }, i) => ({ id: ids[i], rank: i + 1, ...draft })), journeyOf, clusterOf };
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
