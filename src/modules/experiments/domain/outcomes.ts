import { METRICS, MetricId } from './metrics';
import { SufficientStats } from './statistics/sufficient-stats';

/** What tracking reports about a notification's recipient. */
export type OutcomeKind = 'open' | 'click' | 'conversion' | 'unsubscribe';
export type ExperimentChannel = 'push' | 'email';

const HOUR = 3_600_000;

/**
 * The metrics one outcome can move for a campaign on `channel`. An open is a push open or an email open
 * by the campaign's channel; a machine open (mail-privacy prefetch, proxy) moves the email open rate but
 * not its human-only twin. Every metric of the catalog is kept, declared or not, so a metric added to
 * the report later has its history.
 */
export function metricsMovedBy(kind: OutcomeKind, channel: ExperimentChannel, machine = false): MetricId[] {
  switch (kind) {
    case 'open':
      if (channel === 'push') return ['push-open-rate'];
      return machine ? ['email-open-rate'] : ['email-open-rate', 'email-open-rate-human'];
    case 'click':
      return ['click-rate'];
    case 'conversion':
      return ['conversion-rate', 'conversions-per-user'];
    case 'unsubscribe':
      return ['unsubscribe-rate'];
  }
}

/**
 * How a user's value y moving from `value - 1` to `value` changes Σy and Σy²: a rate moves once, from 0
 * to 1 (+1, +1); a count from k − 1 to k adds 1 to Σy and k² − (k − 1)² = 2k − 1 to Σy². Keeping the
 * user's own y is what lets Σy² stay exact without reading anything else.
 */
export function statsIncrement(metric: MetricId, value: number): Omit<SufficientStats, 'n'> {
  if (METRICS[metric].kind === 'rate') return { sum: 1, sumSquares: 1 };
  return { sum: 1, sumSquares: 2 * value - 1 };
}

/**
 * Whether an outcome at `at` falls within the attribution window of one of a user's exposures (each
 * decision about them and each delivery): `exposure ≤ at ≤ exposure + window`.
 */
export function withinWindow(exposures: readonly Date[], at: Date, windowHours: number): boolean {
  const t = at.getTime();
  return exposures.some((e) => e.getTime() <= t && t <= e.getTime() + windowHours * HOUR);
}

/** The UTC day (YYYY-MM-DD) of an instant: the cohort a user assigned then belongs to. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** What an assignment keeps of the moments that open attribution windows. */
export interface ExposureTimes {
  /** Decisions and deliveries. */
  exposures: readonly Date[];
  /** The runs' decisions alone; absent in records written before they were kept apart. */
  decisions?: readonly Date[];
  assignedAt: Date;
}

/**
 * The moments whose windows an outcome of `kind` may fall in. An engagement needs a message, so a delivery
 * opens a window for it (a message held until quiet hours end is opened after). A conversion counts in
 * every arm, held-out users' included, and only decisions happen in every arm alike: were deliveries to
 * open windows too, a variant whose message went out hours after the decision would have hours more to
 * convert in than the holdout, and the difference would read as the campaign's effect. A record written
 * before decisions were kept apart has its first decision (`assignedAt`) and any since.
 */
export function windowStarts(kind: OutcomeKind, times: ExposureTimes): readonly Date[] {
  if (kind !== 'conversion') return times.exposures;
  return times.decisions ? [times.assignedAt, ...times.decisions] : times.exposures;
}
