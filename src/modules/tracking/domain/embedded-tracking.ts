/** A click link of a sent message: the only targets its click tokens can redirect to. */
export interface StoredLink {
  /** `linkKey(link)`: what the click token names. */
  key: string;
  /** The template's link id (`c1`), for reports. */
  id: string;
  url: string;
}

/**
 * The tracking a notification document carries from its creation (its `tracking` field): the click
 * targets and the attribution facts the notification does not already hold, then the engagement
 * counters and first-event times.
 */
export interface EmbeddedTracking {
  links: StoredLink[];
  experimentId?: string;
  armId?: string;
  journeyId?: string;
  counts?: EngagementCounts;
  firstOpenAt?: Date;
  firstHumanOpenAt?: Date;
  firstClickAt?: Date;
}

/** Engagement counters; incremented atomically so "first open" is decided once under concurrency. */
export interface EngagementCounts {
  open?: number;
  humanOpen?: number;
  click?: number;
  humanClick?: number;
  pushOpen?: number;
  unsubscribe?: number;
}
