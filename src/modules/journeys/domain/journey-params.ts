/** Tunable parameters of journey inference; `config/journeys.json` documents and may override them. */
export interface JourneyParams {
  /** Half-life of a keyword's weight: interests persist for months. */
  keywordHalfLifeDays: number;
  /** Weight of one event by action; saving says more than glancing. */
  actionWeights: Record<string, number>;
  /** Share of its weight an event keeps when the same content (query, item) already occurred in its session. */
  sessionRepeatWeight: number;
  /** Weight of a mention by where it came from; categories are broad and shared across journeys. */
  sourceWeights: Record<string, number>;
  /**
   * A keyword is listed (and is a journey's word) only when it appears in at least this many of the user's events;
   * below that it enters clustering only as a word or whole text the user chose (a query, board name, annotation).
   */
  minKeywordEvents: number;
  /**
   * A keyword used by more than this share of the platform's users is generic (an item category, "home"): its
   * weight is scaled by genericShare / share, so it neither names nor glues journeys.
   */
  genericShare: number;
  /** Shares count only on a platform with at least this many users (with a few events each). */
  genericMinUsers: number;
  /** Two keywords of the same user whose character trigrams are at least this similar are one keyword. */
  variantSimilarity: number;
  /** Events closer than this belong to one session; searches minutes apart usually serve one need. */
  sessionGapMinutes: number;
  /** Share of the clustering signal given to session co-occurrence; the rest is embedding similarity. */
  sessionWeight: number;
  /** A cluster whose mean cosine to its centroid is below this is split again. */
  splitCohesion: number;
  /** Clusters whose centroids are at least this similar are merged back. */
  mergeSimilarity: number;
  /**
   * An event belongs to a journey only with this much evidence: the source weights of the journey keywords it
   * mentions, single words from item text counting half. One shared word or category is not enough.
   */
  minEventEvidence: number;
  /** Upper bound on bisections per user, a guard for users with thousands of keywords. */
  maxSplits: number;
  /** Only a user's strongest keywords shape the clusters; weaker ones then join the closest cluster or stay out. */
  maxClusterPoints: number;
  attachSimilarity: number;
  /** A journey needs at least this many events and distinct keywords; smaller clusters are noise. */
  minJourneyEvents: number;
  minJourneyKeywords: number;
  /**
   * A user keeps every ongoing journey, up to maxOngoingJourneys (those of their latest session first, then the
   * strongest), and their strongest ended journeys while they have fewer than maxJourneys in all.
   */
  maxJourneys: number;
  maxOngoingJourneys: number;
  /**
   * A user with at least this many events whose activity forms no cluster gets one thin journey of their
   * strongest keywords (at most sparseMaxKeywords), with its confidence capped at sparseMaxConfidence.
   */
  sparseMinEvents: number;
  sparseMaxKeywords: number;
  sparseMaxConfidence: number;
  /** Keywords listed per journey; a keyword needs this share of the journey's top weight to be listed. */
  maxKeywords: number;
  minKeywordShare: number;
  /**
   * With the platform's keyword recurrence model, a journey chooses its keywords in order of how likely the user
   * is to use them again, leaving out those under this share of the likeliest one's probability (0: by weight).
   */
  minKeywordUse: number;
  /**
   * With the recurrence model, the likeliest keyword and those above this share of the journey's top weight
   * anchor the list and stay listed whatever the model says (1: the likeliest alone); any other keyword is
   * listed only when used in a session with an anchor, so a word glued on by meaning alone stays out.
   */
  keepKeywordShare: number;
  /** A word is not listed when this share of its events also mention one of the journey's listed phrases. */
  subsumedShare: number;
  /**
   * Evergreen: active over at least this span, in this many distinct weeks (or on as many days as it has,
   * when fewer), without a silence longer than this share of the span or than chance leaves with so few visits.
   */
  evergreenMinSpanDays: number;
  evergreenMinWeeks: number;
  evergreenMaxGapShare: number;
  /**
   * Situational journeys end after cadenceFactor x their own cadence without engagement, but never sooner
   * than endedMinDays and always after endedMaxDays (a month of silence ends a project whatever its pace).
   */
  endedMinDays: number;
  endedMaxDays: number;
  endedCadenceFactor: number;
  /** Evergreen journeys count as ended only after this long without engagement. */
  evergreenEndedDays: number;
  /** Recency half-life of the interim score (confidence x recency) used until the ranking model lands. */
  recencyHalfLifeDays: number;
  /** Minimum keyword overlap for a rebuilt journey to keep a previous journey's id. */
  identityOverlap: number;
}

export const DEFAULT_JOURNEY_PARAMS: JourneyParams = {
  keywordHalfLifeDays: 180,
  actionWeights: { search: 1.5, view: 1, click: 2, save: 3, purchase: 4, board: 2.5, custom: 0.5 },
  sourceWeights: { search: 1, title: 0.6, annotation: 0.8, category: 0.3, board: 1 },
  sessionRepeatWeight: 1,
  minKeywordEvents: 2,
  genericShare: 0.15,
  genericMinUsers: 50,
  variantSimilarity: 0.72,
  sessionGapMinutes: 30,
  sessionWeight: 0.35,
  splitCohesion: 0.8,
  mergeSimilarity: 0.4,
  minEventEvidence: 0.8,
  maxSplits: 40,
  maxClusterPoints: 64,
  attachSimilarity: 0.5,
  minJourneyEvents: 3,
  minJourneyKeywords: 1,
  maxJourneys: 8,
  maxOngoingJourneys: 8,
  sparseMinEvents: 3,
  sparseMaxKeywords: 3,
  sparseMaxConfidence: 0.3,
  maxKeywords: 8,
  minKeywordShare: 0.15,
  minKeywordUse: 0.5,
  keepKeywordShare: 1,
  subsumedShare: 0.8,
  evergreenMinSpanDays: 60,
  evergreenMinWeeks: 3,
  evergreenMaxGapShare: 0.6,
  endedMinDays: 14,
  endedMaxDays: 30,
  endedCadenceFactor: 3,
  evergreenEndedDays: 90,
  recencyHalfLifeDays: 21,
  identityOverlap: 0.3,
};

/** Defaults overlaid with a partial override (nested weight maps merge key by key); unknown keys are rejected. */
export function resolveJourneyParams(override: Record<string, unknown> = {}): JourneyParams {
  const params: JourneyParams = {
    ...DEFAULT_JOURNEY_PARAMS,
    actionWeights: { ...DEFAULT_JOURNEY_PARAMS.actionWeights },
    sourceWeights: { ...DEFAULT_JOURNEY_PARAMS.sourceWeights },
  };
  for (const [key, value] of Object.entries(override)) {
    if (key.startsWith('$') || key === 'description') continue;
    if (!(key in params)) throw new Error(`unknown journey parameter "${key}"`);
    const current = params[key as keyof JourneyParams];
    if (typeof current === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new Error(`journey parameter "${key}" must be a number`);
      }
      (params as unknown as Record<string, unknown>)[key] = value;
    } else {
      if (typeof value !== 'object' || value === null) throw new Error(`journey parameter "${key}" must be an object`);
      Object.assign(current, value);
    }
  }
  return params;
}
