import { MetricKind } from './statistics/sufficient-stats';

/** Metrics an experiment can declare; each user's value is counted within the attribution window. */
export const METRIC_IDS = [
  'push-open-rate',
  'email-open-rate',
  'email-open-rate-human',
  'click-rate',
  'conversion-rate',
  'unsubscribe-rate',
  'conversions-per-user',
] as const;

export type MetricId = (typeof METRIC_IDS)[number];

export interface MetricSpec {
  id: MetricId;
  label: string;
  kind: MetricKind;
  /** False for metrics where a decrease is the good direction (unsubscribes). */
  higherIsBetter: boolean;
  /** Whether comparing a variant with the holdout (which is sent nothing) means anything. */
  holdoutComparable: boolean;
  /** The per-user value y, for the README and the report footer. */
  definition: string;
  /**
   * What Σy counts ("events" for a rate, "conversions" for a count): the data gate waits for `minimumEvents` of
   * them in the two arms, as a comparison of a handful is noise whatever its p-value says. Null for a mean that
   * counts nothing.
   */
  events: string | null;
}

const rate = (id: MetricId, label: string, definition: string, extra: Partial<MetricSpec> = {}): MetricSpec => ({
  id,
  label,
  kind: 'rate',
  higherIsBetter: true,
  holdoutComparable: false,
  definition,
  events: 'events',
  ...extra,
});

/** The catalog: every rate is deduplicated per user (1 if the user did it at least once in the window). */
export const METRICS: Readonly<Record<MetricId, MetricSpec>> = {
  'push-open-rate': rate('push-open-rate', 'push open rate', 'opened a push of the experiment'),
  'email-open-rate': rate(
    'email-open-rate',
    'email open rate',
    'opened an email of the experiment, machine opens included',
  ),
  'email-open-rate-human': rate(
    'email-open-rate-human',
    'email open rate (no machine opens)',
    'opened an email of the experiment, mail-privacy prefetches and proxies excluded',
  ),
  'click-rate': rate('click-rate', 'click rate', 'clicked a tracked link of the experiment'),
  'conversion-rate': rate('conversion-rate', 'conversion rate', 'converted within the attribution window', {
    holdoutComparable: true,
  }),
  'unsubscribe-rate': rate('unsubscribe-rate', 'unsubscribe rate', 'unsubscribed within the attribution window', {
    higherIsBetter: false,
  }),
  'conversions-per-user': {
    id: 'conversions-per-user',
    label: 'conversions per user',
    kind: 'mean',
    higherIsBetter: true,
    holdoutComparable: true,
    definition: 'number of conversions within the attribution window',
    events: 'conversions',
  },
};

/** Whether a string names a metric of the catalog. */
export function isMetricId(value: unknown): value is MetricId {
  return typeof value === 'string' && (METRIC_IDS as readonly string[]).includes(value);
}
