import { dataOnlyInstruction, delimitUserText } from '../../../lib/prompt/delimit';
import { guardGeneratedText } from '../../../lib/prompt/output-guard';
import { assessJourneySafety, SafetyPolicy } from './journey-safety';
import { completionTokensFor } from '../../../lib/prompt/completion-tokens';

/** Bump when the expansion prompt or its validation changes; stored expansions keep the version they came from. */
export const EXPANSION_PROMPT_VERSION = 'expansion-v1';

export interface ExpansionRules {
  minRelated: number;
  maxRelated: number;
  maxWords: number;
  maxLength: number;
}

export const DEFAULT_EXPANSION_RULES: ExpansionRules = { minRelated: 5, maxRelated: 10, maxWords: 4, maxLength: 40 };

export type ExpansionReply = { ok: true; related: string[]; rejected: string[] } | { ok: false; reason: string };

/** The key of the expansion store: one entry per normalised journey name and locale, shared by all users. */
export function expansionKey(name: string, locale: string): string {
  const normalised = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return `${locale.toLowerCase()}:${normalised}`;
}

/** Builds the prompt asking for related journeys of one journey name (the name itself is delimited as data). */
export function buildExpansionPrompt(name: string, locale: string, rules = DEFAULT_EXPANSION_RULES) {
  return {
    system: [
      'You suggest related journeys: other goals a person pursuing the given journey is likely to pursue next or',
      `alongside it. Answer with JSON {"related": string[]} holding ${rules.minRelated} to ${rules.maxRelated} distinct,`,
      `specific journey names of at most ${rules.maxWords} words each, in the language of locale ${JSON.stringify(locale)},`,
      'in title case where the language uses it, no brands, no URLs, nothing medical, financial-distress or adult.',
      dataOnlyInstruction('journey'),
    ].join(' '),
    user: `Journey:\n${delimitUserText('journey', [name])}`,
    schema: {
      name: 'related_journeys',
      schema: {
        type: 'object',
        properties: { related: { type: 'array', items: { type: 'string' }, maxItems: rules.maxRelated } },
        required: ['related'],
        additionalProperties: false,
      },
    },
    // The most names of the longest length in any script, each with its quotes and comma.
    maxTokens: completionTokensFor(rules.maxRelated * rules.maxLength, 20 + 3 * rules.maxRelated),
  };
}

/**
 * Validates an expansion reply: every suggestion passes the text guard and the safety policy, duplicates and
 * the journey itself are dropped, and the reply fails when fewer than `minRelated` suggestions survive.
 */
export function parseExpansionReply(
  text: string,
  name: string,
  policy: SafetyPolicy,
  rules = DEFAULT_EXPANSION_RULES,
): ExpansionReply {
  let related: unknown;
  try {
    related = (JSON.parse(text) as { related?: unknown }).related;
  } catch {
    return { ok: false, reason: 'reply is not JSON' };
  }
  if (!Array.isArray(related)) return { ok: false, reason: 'related is not an array' };
  const seen = new Set([expansionKey(name, '')]);
  const kept: string[] = [];
  const rejected: string[] = [];
  for (const candidate of related) {
    const guarded = guardGeneratedText(candidate, {
      maxLength: rules.maxLength,
      maxWords: rules.maxWords,
      blockedTerms: policy.blockedTerms,
    });
    const key = guarded.ok ? expansionKey(guarded.text, '') : '';
    const verdict = guarded.ok ? assessJourneySafety({ name: guarded.text, keywords: [] }, policy) : undefined;
    if (!guarded.ok || !verdict || verdict.blocked || verdict.sensitiveCategories.length > 0 || seen.has(key)) {
      rejected.push(String(candidate));
      continue;
    }
    seen.add(key);
    if (kept.length < rules.maxRelated) kept.push(guarded.text);
  }
  if (kept.length < rules.minRelated) return { ok: false, reason: `only ${kept.length} usable related journeys` };
  return { ok: true, related: kept, rejected };
}
