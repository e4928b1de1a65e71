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
  const verdicts = [journey.name, ...journey.keywords.map((k) => k.text)].map((text) => textVerdict(text, policy));
  const blocked = verdicts.find((v) => v.blockedBy !== undefined);
  if (blocked) return { blocked: true, blockedBy: blocked.blockedBy, sensitiveCategories: [] };
  const sensitiveCategories = [...new Set(verdicts.flatMap((v) => v.sensitiveCategories))].sort();
  return { blocked: false, sensitiveCategories };
}

interface TextVerdict {
  blockedBy?: string;
  sensitiveCategories: readonly string[];
}

/** Texts remembered per policy; past this many the memory starts over. */
const MAX_REMEMBERED_TEXTS = 100_000;
// Stored journeys are assessed again each time a message reads them, and interest copy assesses each of a
// user's events: the same names, keywords and event texts come back again and again. A verdict is
// remembered per policy object, so a changed policy (another deployment's, a test's) never reads an old one.
const verdictsByPolicy = new WeakMap<SafetyPolicy, Map<string, TextVerdict>>();

function textVerdict(text: string, policy: SafetyPolicy): TextVerdict {
  let verdicts = verdictsByPolicy.get(policy);
  if (!verdicts) verdictsByPolicy.set(policy, (verdicts = new Map()));
  let verdict = verdicts.get(text);
  if (!verdict) {
    if (verdicts.size >= MAX_REMEMBERED_TEXTS) verdicts.clear();
    // The text is normalized once and checked against every list.
    const words = paddedWords(text);
    const blockedBy = findTermInWords(words, policy.blockedTerms);
    verdict = blockedBy
      ? { blockedBy, sensitiveCategories: [] }
      : {
          sensitiveCategories: Object.entries(policy.sensitiveCategories)
            .filter(([, terms]) => findTermInWords(words, terms) !== undefined)
            .map(([category]) => category),
        };
    verdicts.set(text, verdict);
  }
  return verdict;
}
