/** What happened to one notification about one journey: the source of labels and fatigue features. */
export interface NotificationOutcome {
  userId: string;
  /** Matched to a journey by id first, then by name (names survive rebuilds that change ids). */
  journeyId?: string;
  journeyName: string;
  sentAt: Date;
  openedAt?: Date | null;
  clickedAt?: Date | null;
}

export const DEFAULT_ATTRIBUTION_WINDOW_HOURS = 72;

/** 1 when the notification was opened or clicked within the attribution window after sending, else 0. */
export function outcomeLabel(
  outcome: NotificationOutcome,
  attributionWindowHours = DEFAULT_ATTRIBUTION_WINDOW_HOURS,
): 0 | 1 {
  const sent = outcome.sentAt.getTime();
  const limit = sent + attributionWindowHours * 3_600_000;
  const within = (at: Date | null | undefined) => at != null && at.getTime() >= sent && at.getTime() <= limit;
  return within(outcome.clickedAt) || within(outcome.openedAt) ? 1 : 0;
}

/** Whether an outcome is about the given journey (id match, or name match when no id was recorded). */
export function isAboutJourney(outcome: NotificationOutcome, journey: { id: string; name: string }): boolean {
  if (outcome.journeyId !== undefined) return outcome.journeyId === journey.id || outcome.journeyName === journey.name;
  return outcome.journeyName === journey.name;
}
