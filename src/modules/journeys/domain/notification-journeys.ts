import { JourneyStage } from './journey';

/**
 * Whether a user's ended journeys may be what a notification is about: only when none of their journeys is
 * ongoing (the default), or alongside the ongoing ones in rank order (a "pick up again" digest).
 */
export const ENDED_JOURNEY_MODES = ['when-none-ongoing', 'alongside'] as const;
export type EndedJourneyMode = (typeof ENDED_JOURNEY_MODES)[number];

/**
 * The journeys a notification may be about, from journeys in rank order (already cleared by the campaign's
 * rules): the user's ongoing journeys, in that order; their ended journeys only when none is ongoing, unless
 * `ended` is `alongside`.
 *
 * A notification is about what the user is working towards. An ended journey's words rarely return (a
 * finished renovation), so one ranked below an ongoing journey would spend the message's space on the past
 * while the present is known. A user whose every journey has ended still hears about the best of them, and
 * a campaign that targets ended journeys on purpose (its rules admit only those) keeps them all.
 */
export function journeysToNotify<T extends { stage: JourneyStage }>(
  ranked: readonly T[],
  ended: EndedJourneyMode = 'when-none-ongoing',
): T[] {
  if (ended === 'alongside') return [...ranked];
  const ongoing = ranked.filter((journey) => journey.stage !== 'ended');
  return ongoing.length > 0 ? ongoing : [...ranked];
}
