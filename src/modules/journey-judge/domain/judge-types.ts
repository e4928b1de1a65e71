import { JourneyStage, JourneyType, KeywordSource } from '../../journeys/domain/journey';

/** The judge's 5-level scale: 5 is clearly what the person is working towards now, 1 unrelated or wrong. */
export const GRADES = [1, 2, 3, 4, 5] as const;
export type Grade = (typeof GRADES)[number];

/** A grade of 4 or 5: the journey is relevant. */
export const GOOD_GRADE = 4;

export function isGrade(value: unknown): value is Grade {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;
}

/** How long ago something happened, in coarse buckets: stable from day to day, so cached grades stay valid. */
export type Recency = 'today' | 'this week' | 'this month' | '1-3 months ago' | 'over 3 months ago';

/** One extracted keyword of a user's recent activity, as the judge sees it. */
export interface ActivityKeyword {
  text: string;
  events: number;
  actions: Record<string, number>;
  sources: KeywordSource[];
  lastSeen: Recency;
}

/** What the judge is told about a user: extracted keywords and counts only, never raw text or identifiers. */
export interface ActivitySummary {
  windowDays: number;
  events: number;
  activeDays: number;
  keywords: ActivityKeyword[];
}

/** One predicted journey as the judge sees it. */
export interface JourneyForJudge {
  name: string;
  rank: number;
  keywords: string[];
  type: JourneyType;
  stage: JourneyStage;
  confidence: number;
  lastActive: Recency;
}

/** The judge's verdict on one journey. */
export interface JourneyGrade {
  grade: Grade;
  explanation: string;
}
