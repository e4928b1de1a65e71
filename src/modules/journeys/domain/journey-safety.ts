import { findTermInWords, paddedWords } from '../../../lib/prompt/output-guard';

/**
 * What may not be a journey at all (blocked) and what is too personal to notify about (sensitive).
 * Sensitive journeys are kept and flagged, so a user still sees them in the API, but campaigns skip them.
 */
export interface SafetyPolicy {
  blockedTerms: readonly string[];
  sensitiveCategories: Readonly<Record<string, readonly string[]>>;
}

export interface SafetyVerdict {
  blocked: boolean;
  /** The term that blocked it, for audit logs. */
  blockedBy?: string;
  sensitiveCategories: string[];
}

/**
 * Defaults in the spirit of common ad and notification policies: health conditions, financial distress,
 * pregnancy and fertility, bereavement, and identity topics are never a reason to send a notification.
 */
export const DEFAULT_SAFETY_POLICY: SafetyPolicy = {
  blockedTerms: ['porn', 'nsfw', 'escort', 'suicide', 'self harm', 'overdose', 'gore'],
  sensitiveCategories: {
    health: [
      'cancer',
      'chemotherapy',
      'diabetes',
      'depression',
      'anxiety',
      'hiv',
      'diagnosis',
      'therapy',
      'rehab',
      'addiction',
      'eating disorder',
    ],
    finance: ['debt', 'bankruptcy', 'foreclosure', 'payday loan', 'eviction', 'debt relief'],
    fertility: ['pregnancy', 'pregnant', 'ivf', 'fertility', 'miscarriage', 'pregnancy test'],
    bereavement: ['funeral', 'grief', 'obituary', 'memorial service', 'condolence'],
    identity: ['religion', 'coming out', 'gender transition', 'immigration status'],
  },
};

/** Classifies a journey (or an expansion) by its name and keyword texts against the policy. */
export function assessJourneySafety(
  journey: { name: string; keywords: ReadonlyArray<{ text: string }> },
  policy: SafetyPolicy = DEFAULT_SAFETY_POLICY,
): SafetyVerdict {
  // Each text is normalized once and checked against every list.
  const texts = [journey.name, ...journey.keywords.map((k) => k.text)].map(paddedWords);
  for (const text of texts) {
    const term = findTermInWords(text, policy.blockedTerms);
    if (term) return { blocked: true, blockedBy: term, sensitiveCategories: [] };
  }
  const sensitiveCategories = Object.entries(policy.sensitiveCategories)
    .filter(([, terms]) => texts.some((text) => findTermInWords(text, terms) !== undefined))
    .map(([category]) => category)
    .sort();
  return { blocked: false, sensitiveCategories };
}
