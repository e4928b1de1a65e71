import { Journey } from '../../journeys/domain/journey';
import {
  DEFAULT_ATTRIBUTION_WINDOW_HOURS,
  isAboutJourney,
  NotificationOutcome,
  outcomeLabel,
} from './notification-outcome';

const DAY_MS = 86_400_000;
const HALF_LIVES_DAYS = [7, 30, 180] as const;
const ACTIONS = ['search', 'view', 'save', 'click', 'purchase', 'board'] as const;
/** Notifications older than this no longer tell us about fatigue. */
export const FATIGUE_HORIZON_DAYS = 90;
/** Stands in for "never notified" so the feature stays finite and monotone. */
const NEVER_NOTIFIED_DAYS = 365;

/** Canonical feature order; a model may use any subset, looked up by name. Counts enter as log1p. */
export const FEATURE_NAMES = [
  'events_log',
  ...ACTIONS.map((a) => `${a}_log`),
  'sources_count',
  'from_search',
  'days_since_last_log',
  ...HALF_LIVES_DAYS.map((h) => `decayed_${h}d_log`),
  'span_days_log',
  'distinct_days_log',
  'distinct_weeks_log',
  'cadence_days_log',
  'week_coverage',
  'stage_ongoing',
  'type_evergreen',
  'confidence',
  'keywords_log',
  'user_events_log',
  'user_active_days_log',
  'user_journeys_log',
  'event_share',
  'days_behind_user_log',
  'fatigue_sent_7d_log',
  'fatigue_sent_30d_log',
  'fatigue_engaged_rate',
  'fatigue_ignored_streak_log',
  'days_since_notified_log',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** User-level facts shared by all of a user's journeys; computed once per ranking call. */
export interface UserSummary {
  events: number;
  activeDays: number;
  journeys: number;
  lastSeen: number;
}

/** Summarises a user's activity from their journeys (the ranker sees no raw events). */
export function summariseUser(journeys: readonly Journey[]): UserSummary {
  const days = new Set<number>();
  let events = 0;
  let lastSeen = 0;
  for (const journey of journeys) {
    events += journey.engagement.events;
    lastSeen = Math.max(lastSeen, journey.engagement.lastSeen.getTime());
    for (const t of journey.engagement.timestamps) days.add(Math.floor(t / DAY_MS));
  }
  return { events, activeDays: days.size, journeys: journeys.length, lastSeen };
}

const log1pDays = (ms: number) => Math.log1p(Math.max(0, ms) / DAY_MS);

/** Opened or clicked, as far as anyone could know at `now` (later opens are the future). */
function engagedBy(o: NotificationOutcome, now: number): boolean {
  const seen = (at: Date | null | undefined) => at != null && at.getTime() <= now;
  return outcomeLabel(o) === 1 && (seen(o.openedAt) || seen(o.clickedAt));
}

function fatigueFeatures(journey: Journey, history: readonly NotificationOutcome[], now: number): number[] {
  const recent = history
    .filter(
      (o) =>
        isAboutJourney(o, journey) &&
        o.sentAt.getTime() <= now &&
        now - o.sentAt.getTime() <= FATIGUE_HORIZON_DAYS * DAY_MS,
    )
    .sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime());
  const sentWithin = (days: number) => recent.filter((o) => now - o.sentAt.getTime() <= days * DAY_MS).length;
  // A notification still inside its attribution window and unopened is undecided, not ignored.
  const settled = recent.filter(
    (o) => engagedBy(o, now) || now - o.sentAt.getTime() >= DEFAULT_ATTRIBUTION_WINDOW_HOURS * 3_600_000,
  );
  const engaged = settled.filter((o) => engagedBy(o, now)).length;
  let streak = 0;
  while (streak < settled.length && !engagedBy(settled[streak], now)) streak++;
  const sinceLast = recent.length > 0 ? now - recent[0].sentAt.getTime() : NEVER_NOTIFIED_DAYS * DAY_MS;
  return [
    Math.log1p(sentWithin(7)),
    Math.log1p(sentWithin(30)),
    // Smoothed towards 1/2 so one ignored notification does not condemn a journey.
    (engaged + 1) / (settled.length + 2),
    Math.log1p(streak),
    log1pDays(Math.min(sinceLast, NEVER_NOTIFIED_DAYS * DAY_MS)),
  ];
}

const DECAY_RATES = HALF_LIVES_DAYS.map((h) => Math.LN2 / (h * DAY_MS));
const RESTED = [0, 0, 0.5, 0, Math.log1p(NEVER_NOTIFIED_DAYS)];

/** Feature vector of one (user, journey) at `now`, in FEATURE_NAMES order. */
export function extractFeatures(
  journey: Journey,
  user: UserSummary,
  now: Date,
  history: readonly NotificationOutcome[] = [],
): Float64Array {
  const t = now.getTime();
  const e = journey.engagement;
  const first = e.firstSeen.getTime();
  const last = e.lastSeen.getTime();
  // Written in place: this runs for every candidate journey on every ranking call.
  let d7 = 0;
  let d30 = 0;
  let d180 = 0;
  for (const ts of e.timestamps) {
    if (ts > t) continue; // events after `now` are the future the ranker must not see
    d7 += Math.exp(-(t - ts) * DECAY_RATES[0]);
    d30 += Math.exp(-(t - ts) * DECAY_RATES[1]);
    d180 += Math.exp(-(t - ts) * DECAY_RATES[2]);
  }
  const spanDays = Math.max(0, last - first) / DAY_MS;
  const out = new Float64Array(FEATURE_NAMES.length);
  let k = 0;
  out[k++] = Math.log1p(e.events);
  for (const action of ACTIONS) out[k++] = Math.log1p(e.actions[action] ?? 0);
  out[k++] = new Set(e.sources).size;
  out[k++] = e.sources.includes('search') ? 1 : 0;
  out[k++] = log1pDays(t - last);
  out[k++] = Math.log1p(d7);
  out[k++] = Math.log1p(d30);
  out[k++] = Math.log1p(d180);
  out[k++] = Math.log1p(spanDays);
  out[k++] = Math.log1p(e.distinctDays);
  out[k++] = Math.log1p(e.distinctWeeks);
  out[k++] = Math.log1p(spanDays / Math.max(1, e.distinctDays - 1));
  out[k++] = Math.min(1, e.distinctWeeks / (Math.floor(spanDays / 7) + 1));
  out[k++] = journey.stage === 'ongoing' ? 1 : 0;
  out[k++] = journey.type === 'evergreen' ? 1 : 0;
  out[k++] = journey.confidence;
  out[k++] = Math.log1p(journey.keywords.length);
  out[k++] = Math.log1p(user.events);
  out[k++] = Math.log1p(user.activeDays);
  out[k++] = Math.log1p(user.journeys);
  out[k++] = user.events > 0 ? e.events / user.events : 0;
  out[k++] = log1pDays(user.lastSeen - last);
  out.set(history.length === 0 ? RESTED : fatigueFeatures(journey, history, t), k);
  return out;
}
