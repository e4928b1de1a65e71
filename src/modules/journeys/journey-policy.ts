import { Settings } from '../../config/settings';
import { assessJourneySafety, DEFAULT_SAFETY_POLICY, SafetyPolicy } from './domain/journey-safety';
import { DEFAULT_NAMING_RULES, NamingRules } from './domain/llm-naming';

/** Injection token of the journey policies resolved from the `journeys` settings. */
export const JOURNEY_POLICY = Symbol('JOURNEY_POLICY');

/** Safety and naming rules of one deployment: the defaults plus the configured extra blocked terms. */
export interface JourneyPolicy {
  safety: SafetyPolicy;
  naming: NamingRules;
  /** How many of a journey's heaviest keywords make its naming-cache signature. */
  signatureKeywords: number;
  defaultLocale: string;
  notifySensitive: boolean;
}

export function journeyPolicyOf(settings: Settings['journeys']): JourneyPolicy {
  const blockedTerms = [...new Set([...DEFAULT_SAFETY_POLICY.blockedTerms, ...settings.blockedTerms])];
  return {
    safety: { ...DEFAULT_SAFETY_POLICY, blockedTerms },
    naming: { ...DEFAULT_NAMING_RULES, blockedTerms },
    signatureKeywords: settings.namingSignatureKeywords,
    defaultLocale: settings.defaultLocale,
    notifySensitive: settings.notifySensitive,
  };
}

/** Whether campaigns may notify about a journey: sensitive ones are excluded unless the deployment opts in. */
export function isNotifiable(
  journey: { sensitiveCategories: readonly string[] },
  policy: Pick<JourneyPolicy, 'notifySensitive'>,
): boolean {
  return policy.notifySensitive || journey.sensitiveCategories.length === 0;
}

/**
 * Why campaigns may not notify about a journey, or about an event by its keyword texts, under the policy in force
 * now, or undefined: a blocked term, or a sensitive category of today's policy or the one its build stored. The
 * policy may have changed since a journey was built, so a stored verdict alone would protect no one from a new
 * term until the next rebuild.
 */
export function notifyBarrier(
  journey: { name: string; keywords: ReadonlyArray<{ text: string }>; sensitiveCategories?: readonly string[] },
  policy: Pick<JourneyPolicy, 'safety' | 'notifySensitive'>,
): string | undefined {
  const verdict = assessJourneySafety(journey, policy.safety);
  if (verdict.blocked) return `blocked term "${verdict.blockedBy}"`;
  const sensitiveCategories = unionOfCategories(journey.sensitiveCategories, verdict.sensitiveCategories);
  if (!isNotifiable({ sensitiveCategories }, policy)) return `sensitive: ${sensitiveCategories.join(', ')}`;
  return undefined;
}

/**
 * A stored journey's sensitive categories as campaigns see them now: those its build stored and those today's
 * policy finds in its name and keywords, sorted. A category a release adds applies before the next rebuild.
 */
export function sensitiveCategoriesNow(
  journey: { name: string; keywords: ReadonlyArray<{ text: string }>; sensitiveCategories?: readonly string[] },
  policy: Pick<JourneyPolicy, 'safety'>,
): string[] {
  return unionOfCategories(
    journey.sensitiveCategories,
    assessJourneySafety(journey, policy.safety).sensitiveCategories,
  );
}

function unionOfCategories(stored: readonly string[] = [], today: readonly string[]): string[] {
  return [...new Set([...stored, ...today])].sort();
}

/**
 * Terms that keep a journey holding one (as a whole word or phrase of its name or a keyword) out of every message
 * under the policy: its blocked terms, and the terms of its sensitive categories unless the deployment notifies
 * about sensitive journeys. Audiences leave such journeys out by their stored terms, whatever policy built them.
 */
export function withheldTerms(policy: Pick<JourneyPolicy, 'safety' | 'notifySensitive'>): string[] {
  const sensitive = policy.notifySensitive ? [] : Object.values(policy.safety.sensitiveCategories).flat();
  return [...new Set([...policy.safety.blockedTerms, ...sensitive])];
}

/** What the deployment's safety policy asks of a campaign's audience: see `audienceQueryOf`. */
export function audiencePolicyOf(settings: Settings['journeys']): { allowSensitive: boolean; withheldTerms: string[] } {
  const policy = journeyPolicyOf(settings);
  return { allowSensitive: policy.notifySensitive, withheldTerms: withheldTerms(policy) };
}
