/** Plain journey types shared by inference, ranking, the service and the offline build. */

/** Situational journeys have a beginning and an end (a renovation); evergreen ones persist (cooking). */
export type JourneyType = 'situational' | 'evergreen';
/** Whether the user is still engaging with the journey; evergreen journeys stay `ongoing` while active. */
export type JourneyStage = 'ongoing' | 'ended';

export type KeywordSource = 'search' | 'title' | 'annotation' | 'category' | 'board';

/**
 * What a journey stands on: a cluster of related keywords, or, for a user whose few events form no cluster,
 * their strongest keywords (a thin journey with a low confidence, so campaigns can tell it apart).
 */
export type JourneyBasis = 'cluster' | 'strongest-keywords';

export interface JourneyKeyword {
  text: string;
  weight: number;
}

/** Engagement summary of a journey, the raw material for stage, confidence and ranking features. */
export interface JourneyEngagement {
  events: number;
  /** Counts by event type (search, view, save, click, purchase, board, custom). */
  actions: Record<string, number>;
  sources: KeywordSource[];
  distinctDays: number;
  distinctWeeks: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Event timestamps (ms) of the journey, ascending; used for cadence and decayed counts. */
  timestamps: number[];
}

export interface Journey {
  /** Stable across rebuilds while the journey continues (matched by keyword overlap). */
  id: string;
  name: string;
  keywords: JourneyKeyword[];
  stage: JourneyStage;
  type: JourneyType;
  confidence: number;
  score: number;
  rank: number;
  /** Mean of the keyword vectors, L2-normalised: used for diversification and matching. */
  embedding: number[];
  engagement: JourneyEngagement;
  /** Absent on journeys stored before it was recorded, which are all clusters. */
  basis?: JourneyBasis;
}

/** One line of the offline build output, exactly as DESIGN.md specifies it. */
export interface UserJourneysRecord {
  userId: string;
  generatedAt: string;
  journeys: Array<Pick<Journey, 'name' | 'keywords' | 'stage' | 'type' | 'confidence' | 'score'>>;
}
