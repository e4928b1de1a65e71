import type { NotificationReason } from './notification';

/** A campaign's cap: at most `max` sends within `withinHours`, on this campaign or on the whole channel. */
export interface FrequencyCap {
  max: number;
  withinHours: number;
  scope: 'campaign' | 'channel';
}

/** The longest window a cap may have (the campaign schema allows 90 days): how long sends are remembered. */
export const CAP_RETENTION_MS = 90 * 86_400_000;

export type CapVerdict = { granted: true } | { granted: false; cap: FrequencyCap; index: number; count: number };

/**
 * Arguments of the check-and-reserve script: per cap, which key it counts (1 = channel, 2 = campaign),
 * its window in milliseconds and its maximum.
 */
export function capArguments(caps: readonly FrequencyCap[]): number[] {
  return caps.flatMap((cap) => [cap.scope === 'channel' ? 1 : 2, cap.withinHours * 3_600_000, cap.max]);
}

/** Why a refused send is not sent: the cap it would overfill. */
export function capRefusal(verdict: Extract<CapVerdict, { granted: false }>, channel: string): NotificationReason {
  const { max, withinHours, scope } = verdict.cap;
  return {
    code: 'frequency-cap',
    rule: `frequencyCaps[${verdict.index}]`,
    value: verdict.count,
    message: `already ${verdict.count} ${channel} message(s) within ${withinHours}h on the ${scope} (max ${max})`,
  };
}
