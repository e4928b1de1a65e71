import { Journey, JourneyStage, JourneyType } from './journey';
import { DEFAULT_JOURNEY_PARAMS, JourneyParams } from './journey-params';

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
 * The longest silence, as a share of the span, that `visits` active days at random times across the span
 * would leave on average: H(m)/m over the m = visits - 1 gaps (1 for two visits, 0.75 for three, 0.61 for
 * four). With few visits a long silence is what chance gives, not evidence that the interest stopped.
 */
export function expectedLongestGapShare(visits: number): number {
  const gaps = visits - 1;
  if (gaps <= 1) return 1;
  let harmonic = 0;
  for (let i = 1; i <= gaps; i++) harmonic += 1 / i;
  return harmonic / gaps;
}

/**
 * Type from the engagement pattern (evergreen: a long span, visits in several distinct weeks, no silence
 * taking more of the span than evergreenMaxGapShare or than chance leaves with so few visits: two visits
 * months apart are a returning interest, a long burst and one late visit are not), stage from the time since the last engagement relative to the journey's own cadence,
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
  const visits = new Set(timestamps.map((t) => Math.floor(t / DAY))).size;
  let maxGap = 0;
  for (let i = 1; i < timestamps.length; i++) maxGap = Math.max(maxGap, timestamps[i] - timestamps[i - 1]);
  const gapShare = Math.max(params.evergreenMaxGapShare, expectedLongestGapShare(visits));
  const evergreen =
    spanDays >= params.evergreenMinSpanDays &&
    weeks >= Math.min(params.evergreenMinWeeks, visits) &&
    maxGap <= gapShare * (last - first);
  const type = evergreen ? 'evergreen' : 'situational';
  const sinceDays = Math.max(0, now - last) / DAY;
  return { type, stage: sinceDays > endingSilenceDays(type, timestamps, params) ? 'ended' : 'ongoing' };
}

/** Days without engagement after which a journey of this type and pace has ended. */
function endingSilenceDays(type: JourneyType, timestamps: readonly number[], params: StageParams): number {
  const patience = params.endedCadenceFactor * cadenceDays(timestamps);
  return type === 'evergreen'
    ? Math.max(params.evergreenEndedDays, patience)
    : Math.min(params.endedMaxDays, Math.max(params.endedMinDays, patience));
}

type StagedJourney = Pick<Journey, 'stage' | 'type'> & {
  engagement: Pick<Journey['engagement'], 'lastSeen' | 'timestamps'>;
};

/** The instant (ms) a built journey has ended if the user does nothing more with it: its last engagement for an ended one. */
export function stageEndsAt(journey: StagedJourney, params: StageParams = DEFAULT_JOURNEY_PARAMS): number {
  const last = new Date(journey.engagement.lastSeen).getTime();
  if (journey.stage === 'ended') return last;
  return last + endingSilenceDays(journey.type, journey.engagement.timestamps, params) * DAY;
}

/** A built journey's stage at `now`: an ongoing journey the user has left alone long enough since has ended. */
export function stageAt(
  journey: StagedJourney,
  now: number,
  params: StageParams = DEFAULT_JOURNEY_PARAMS,
): JourneyStage {
  return journey.stage === 'ongoing' && now > stageEndsAt(journey, params) ? 'ended' : journey.stage;
}
