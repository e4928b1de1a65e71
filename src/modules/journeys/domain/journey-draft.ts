import { interimScore, journeyConfidence } from './confidence';
import { dot, meanVector } from './embedder';
import { Journey, JourneyBasis, JourneyEngagement, JourneyKeyword, KeywordSource } from './journey';
import { JourneyParams } from './journey-params';
import { listingWeight } from './keyword-list';
import { ExtractedEvent } from './keywords';
import { JourneyNamer } from './naming';
import { classifyStage } from './stage';
import { UserKeyword } from './user-keywords';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** A journey before it has an id and a rank. */
export type JourneyDraft = Omit<Journey, 'id' | 'rank'>;

/**
 * Each cluster's events: an event joins the cluster with the most evidence in it, or none without enough.
 * Mentions of a folded variant (a misspelling) count for the keyword it was folded into.
 */
export function assignEvents(
  events: readonly ExtractedEvent[],
  keywords: readonly UserKeyword[],
  clusters: readonly number[][],
  params: Pick<JourneyParams, 'sourceWeights' | 'minEventEvidence'>,
  sessions: readonly number[] = events.map((_, i) => i),
): number[][] {
  // Keys mentioned by more than one event of a session: the subject of that visit.
  const seen = new Map<string, number>();
  const repeated = new Set<string>();
  events.forEach((e, i) => {
    for (const m of e.mentions) {
      const id = `${sessions[i]}\u0000${m.key}`;
      const first = seen.get(id);
      if (first === undefined) seen.set(id, i);
      else if (first !== i) repeated.add(id);
    }
  });
  const clusterOf = new Map<string, { cluster: number; specificity: number }>();
  clusters.forEach((members, cluster) =>
    members.forEach((m) => {
      const { key, variants, specificity } = keywords[m];
      for (const k of [key, ...variants]) clusterOf.set(k, { cluster, specificity });
    }),
  );
  const owned: number[][] = clusters.map(() => []);
  const votes = new Float64Array(clusters.length);
  events.forEach((e, index) => {
    votes.fill(0);
    for (const m of e.mentions) {
      const k = clusterOf.get(m.key);
      if (k === undefined) continue;
      // A single word cut out of a longer text ("white" of "white kitchen cabinets") is half the evidence of a
      // phrase or of a whole one-word text (a query or board name the user wrote), unless other events of the
      // session mention it too; a generic keyword ("home") is weak evidence for one journey over another.
      const partial = !m.whole && !m.key.includes(' ') && !repeated.has(`${sessions[index]}\u0000${m.key}`);
      votes[k.cluster] += (params.sourceWeights[m.source] ?? 1) * (partial ? 0.5 : 1) * k.specificity;
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

/** What a journey is made of: its listed keywords (strongest first) with their vectors, and its events. */
export interface DraftInput {
  members: readonly UserKeyword[];
  listed: readonly UserKeyword[];
  listedVectors: readonly Float32Array[];
  /** Cohesion of the member vectors (1 for a single keyword). */
  cohesion: number;
  /** Indices of the journey's events in the user's sorted events. */
  indices: readonly number[];
  basis: JourneyBasis;
}

/** A journey from its keywords and events: weights relative to the top keyword, name, stage, confidence, score. */
export function draftJourney(
  events: readonly ExtractedEvent[],
  input: DraftInput,
  context: { now: number; params: JourneyParams; namer: JourneyNamer; dimension: number; maxConfidence?: number },
): JourneyDraft {
  const { listed, listedVectors } = input;
  const { now, params } = context;
  const embedding = meanVector(listedVectors, listed.map(listingWeight), context.dimension);
  const engagement = engagementOf(events, input.indices, input.members);
  const { type, stage } = classifyStage(engagement.timestamps, now, params);
  const confidence = Math.min(
    context.maxConfidence ?? 1,
    journeyConfidence({
      cohesion: input.cohesion,
      events: engagement.events,
      distinctDays: engagement.distinctDays,
      sources: engagement.sources.length,
    }),
  );
  const top = listingWeight(listed[0]);
  const keywords: JourneyKeyword[] = listed.map((k) => ({
    text: k.text,
    weight: Math.round((listingWeight(k) / top) * 1000) / 1000,
  }));
  const name = context.namer.name(
    listed.map((k, j) => ({
      key: k.key,
      text: k.text,
      weight: listingWeight(k) / top,
      centrality: dot(listedVectors[j], embedding),
      sources: k.sources,
    })),
  );
  const score = interimScore(confidence, (now - engagement.lastSeen.getTime()) / DAY, params.recencyHalfLifeDays);
  return {
    name,
    keywords,
    stage,
    type,
    confidence,
    score,
    embedding: Array.from(embedding),
    engagement,
    basis: input.basis,
  };
}
