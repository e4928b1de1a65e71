import { JourneyStage, JourneyType } from './journey';
import { JourneyParams } from './journey-params';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

type StageParams = Pick<
  JourneyParams,
  | 'evergreenMinSpanDays'
  | 'evergreenMinWeeks'
  | 'evergreenMaxGapShare'
  | 'endedMinDays'
  | 'endedMaxDays'
  | 'endedCadenceFactor'
  | 'evergreenEndedDays'
>;

/** Median gap in days between consecutive active days; 0 with fewer than two active days. */
export function cadenceDays(timestamps: readonly number[]): number {
  const days = [...new Set(timestamps.map((t) => Math.floor(t / DAY)))].sort((a, b) => a - b);
  if (days.length < 2) return 0;
  const gaps = days
    .slice(1)
    .map((d, i) => d - days[i])
    .sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
}

/**
 * Type from the engagement pattern (evergreen: a long span, many distinct weeks, no silence taking most of
 * the span), stage from the time since the last engagement relative to the journey's own cadence,
 * bounded for situational journeys by endedMinDays and endedMaxDays.
 */
export function classifyStage(
  timestamps: readonly number[],
  now: number,
  params: StageParams,
): { type: JourneyType; stage: JourneyStage } {
  if (timestamps.length === 0) return { type: 'situational', stage: 'ended' };
  const first = timestamps[0];
  const last = timestamps[timestamps.length - 1];
  const spanDays = (last - first) / DAY;
  const weeks = new Set(timestamps.map((t) => Math.floor(t / WEEK))).size;
  let maxGap = 0;
  for (let i = 1; i < timestamps.length; i++) maxGap = Math.max(maxGap, timestamps[i] - timestamps[i - 1]);
  const evergreen =
    spanDays >= params.evergreenMinSpanDays &&
    weeks >= params.evergreenMinWeeks &&
    maxGap <= params.evergreenMaxGapShare * (last - first);
  const sinceDays = Math.max(0, now - last) / DAY;
  const patience = params.endedCadenceFactor * cadenceDays(timestamps);
  const ended = evergreen
    ? sinceDays > Math.max(params.evergreenEndedDays, patience)
    : sinceDays > Math.min(params.endedMaxDays, Math.max(params.endedMinDays, patience));
  return { type: evergreen ? 'evergreen' : 'situational', stage: ended ? 'ended' : 'ongoing' };
}
