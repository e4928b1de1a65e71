import { JourneyKind, Stage } from './audience-facts';

export type AttributeScalar = string | number | boolean;

/** Per-journey conditions: at least one of the user's journeys must meet all of them. */
export interface JourneyCondition {
  /** Tags of journeys meeting type, confidence and sensitivity, whatever their stage (see `tagsMatching`). */
  tags: string[];
  stages?: readonly Stage[];
  /** The instant `stages` is read at: an ongoing journey whose `endsAt` has passed counts as ended. */
  at: Date;
  types?: readonly JourneyKind[];
  minConfidence?: number;
  allowSensitive: boolean;
  /**
   * Normalised terms of the safety policy in force (see `withheldTerms`): a journey holding one as a whole word
   * or phrase of its name or a keyword qualifies no one, whatever sensitivity its build stored.
   */
  withheld?: string[];
  /** Normalised terms: the journey must answer to one of them. */
  include?: string[];
  /** Normalised terms: the journey must answer to none of them. */
  exclude?: string[];
}

/** A campaign audience as plain conditions on audience facts; the repository turns it into an indexed query. */
export interface AudienceQuery {
  /** When set, consent for the channel and an address (email, or a push token) are required. */
  consentFor?: 'push' | 'email';
  /**
   * Consent alone reaches the user (a webhook campaign, whose receiver finds the contact): `consentFor` then
   * requires no address, and a breakdown counts users without one as consented.
   */
  consentOnly?: boolean;
  lastActiveSince?: Date;
  /** Users who left any of these unsubscribe categories are left out. */
  notUnsubscribedFrom?: string[];
  /** Locale tags (see `localeTags`); any of them. */
  locales?: string[];
  /** Attribute name → accepted values. */
  attributes?: Record<string, AttributeScalar[]>;
  journey?: JourneyCondition;
}
