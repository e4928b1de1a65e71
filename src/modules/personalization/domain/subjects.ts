import { EndedJourneyMode, journeysToNotify } from '../../journeys/domain/notification-journeys';
import { StoredJourney } from '../../journeys/stored-journey';
import { ContextSubject } from './render-context';
import { Interest } from './interests';

/** Why a journey cannot be a message's subject: not notifiable (and why), or a campaign rule it fails. */
export type JourneyVerdict =
  | { ok: true }
  | { ok: false; notifiable: false; why: string }
  | { ok: false; notifiable: true; rule: string; value: unknown; expected: string };

/** Precise reasons a user gets no journey message. */
export type SubjectSkip =
  | { code: 'no-journeys'; message: string }
  | { code: 'no-notifiable-journey'; message: string }
  | { code: 'audience-rule'; rule: string; value: unknown; message: string }
  | { code: 'no-interest'; message: string };

/**
 * Picks up to `topK` subjects from journeys already in rank order: only those the verdict accepts, and of
 * those the ongoing ones, ended ones only when none is ongoing unless `ended` says alongside (see
 * `journeysToNotify`). When none qualifies, says why as precisely as the facts allow (none at all, none
 * notifiable, or the rule).
 */
export function pickJourneySubjects<T extends StoredJourney>(
  ranked: readonly T[],
  verdict: (journey: T) => JourneyVerdict,
  topK: number,
  ended: EndedJourneyMode = 'when-none-ongoing',
): { ok: true; journeys: T[] } | { ok: false; skip: SubjectSkip } {
  if (ranked.length === 0) return { ok: false, skip: { code: 'no-journeys', message: 'the user has no journeys yet' } };
  const verdicts = ranked.map((journey) => ({ journey, verdict: verdict(journey) }));
  const chosen = journeysToNotify(
    verdicts.filter((v) => v.verdict.ok).map((v) => v.journey),
    ended,
  ).slice(0, topK);
  if (chosen.length > 0) return { ok: true, journeys: chosen };
  const blocked: string[] = [];
  let best: { name: string; rule: string; value: unknown; expected: string } | undefined;
  let ruled = 0;
  for (const { journey, verdict: v } of verdicts) {
    if (v.ok) continue;
    if (!v.notifiable) blocked.push(`"${journey.name}" (${v.why})`);
    else {
      ruled += 1;
      best ??= { name: journey.name, rule: v.rule, value: v.value, expected: v.expected };
    }
  }
  if (!best) {
    return {
      ok: false,
      skip: { code: 'no-notifiable-journey', message: `no journey may be notified about: ${blocked.join('; ')}` },
    };
  }
  const others = ruled > 1 ? `; ${ruled - 1} other journey(s) fail the rules too` : '';
  const message = `no journey meets ${best.rule}: the best one, "${best.name}", has ${JSON.stringify(best.value)} (expected ${best.expected})${others}`;
  return { ok: false, skip: { code: 'audience-rule', rule: best.rule, value: best.value, message } };
}

/** A journey as a template subject; `related` only when the campaign allows related journeys. */
export function journeySubject(journey: StoredJourney, related: readonly string[]): ContextSubject {
  return {
    kind: 'journey',
    id: journey.id,
    name: journey.name,
    keywords: journey.keywords.map((k) => k.text),
    stage: journey.stage,
    type: journey.type,
    confidence: journey.confidence,
    rank: journey.rank,
    lastSeen: new Date(journey.engagement.lastSeen).toISOString(),
    related: [...related],
  };
}

/** An interest keyword as a template subject (the `interest` baseline). */
export function interestSubject(interest: Interest, rank: number, totalEvents: number): ContextSubject {
  return {
    kind: 'interest',
    id: interest.key,
    name: interest.text,
    keywords: [interest.text],
    stage: '',
    type: '',
    confidence: totalEvents > 0 ? interest.events / totalEvents : 0,
    rank,
    lastSeen: '',
    related: [],
  };
}
