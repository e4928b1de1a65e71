import { createHash } from 'node:crypto';
import { dataOnlyInstruction, delimitUserText } from '../../../lib/prompt/delimit';
import { guardGeneratedText, GuardResult } from '../../../lib/prompt/output-guard';
import { JourneyKeyword } from './journey';
import { completionTokensFor } from '../../../lib/prompt/completion-tokens';

/** Bump when the naming prompt or its validation changes: cached names of another version are not reused. */
export const NAMING_PROMPT_VERSION = 'naming-v1';

export interface NamingCluster {
  keywords: readonly JourneyKeyword[];
}

export interface NamingPrompt {
  system: string;
  user: string;
  schema: { name: string; schema: Record<string, unknown> };
  /** Upper bound of completion tokens: a name of the longest length in any script, and its JSON. */
  maxTokens: number;
}

export interface NamingRules {
  maxWords: number;
  maxLength: number;
  blockedTerms: readonly string[];
  /** How many of the heaviest keywords count as well supported for grounding. */
  groundingKeywords: number;
}

export const DEFAULT_NAMING_RULES: NamingRules = { maxWords: 4, maxLength: 40, blockedTerms: [], groundingKeywords: 5 };

const NAME_CHARACTERS = /^[\p{L}\p{N}][\p{L}\p{N}\s'&-]*$/u;

function heaviest(cluster: NamingCluster, count: number): JourneyKeyword[] {
  return [...cluster.keywords].sort((a, b) => b.weight - a.weight || a.text.localeCompare(b.text)).slice(0, count);
}

/** Builds the naming prompt: instructions in the system message, the cluster's keywords delimited as data. */
export function buildNamingPrompt(cluster: NamingCluster, locale: string, rules = DEFAULT_NAMING_RULES): NamingPrompt {
  const keywords = heaviest(cluster, 12).map((k) => k.text);
  return {
    system: [
      'You name what a person is working towards from keywords of their activity, for a notification product.',
      `Answer with JSON {"name": string}: a short, specific, natural name of at most ${rules.maxWords} words,`,
      `in the language of locale ${JSON.stringify(locale)}, in title case where the language uses it,`,
      'with no punctuation other than hyphens, apostrophes and ampersands, no brand you were not given, no URLs.',
      dataOnlyInstruction('keywords'),
    ].join(' '),
    user: `Keywords, most important first:\n${delimitUserText('keywords', keywords)}`,
    schema: {
      name: 'journey_name',
      schema: {
        type: 'object',
        properties: { name: { type: 'string', maxLength: rules.maxLength } },
        required: ['name'],
        additionalProperties: false,
      },
    },
    maxTokens: completionTokensFor(rules.maxLength, 20),
  };
}

/** The cache key of a naming call: users whose clusters share their heaviest keywords share one call. */
export function namingSignature(cluster: NamingCluster, locale: string, rules = DEFAULT_NAMING_RULES): string {
  const top = heaviest(cluster, rules.groundingKeywords)
    .map((k) => k.text.toLowerCase())
    .sort();
  return createHash('sha256')
    .update(JSON.stringify([NAMING_PROMPT_VERSION, locale, top]))
    .digest('hex')
    .slice(0, 32);
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2);
}

// Plural and possessive endings, so "cabinet" grounds "Cabinets".
const stem = (word: string) => word.replace(/(?:'s|ies|es|s)$/u, '');

/**
 * Validates a naming reply. Beyond length, characters and blocked terms, the name must be grounded: at
 * least one of its words comes from the cluster's well-supported keywords, and none comes from its weak
 * tail. Words the model adds itself ("renovation") are fine; words smuggled in through a rare query are not,
 * which is what stops a prompt-injection query from choosing the name.
 */
export function parseNamingReply(text: string, cluster: NamingCluster, rules = DEFAULT_NAMING_RULES): GuardResult {
  let name: unknown;
  try {
    name = (JSON.parse(text) as { name?: unknown }).name;
  } catch {
    return { ok: false, reason: 'reply is not JSON' };
  }
  const guarded = guardGeneratedText(name, {
    maxLength: rules.maxLength,
    maxWords: rules.maxWords,
    blockedTerms: rules.blockedTerms,
  });
  if (!guarded.ok) return guarded;
  if (!NAME_CHARACTERS.test(guarded.text)) return { ok: false, reason: 'unexpected characters' };
  const strong = new Set(
    heaviest(cluster, rules.groundingKeywords)
      .flatMap((k) => words(k.text))
      .map(stem),
  );
  const all = new Set(cluster.keywords.flatMap((k) => words(k.text)).map(stem));
  const nameStems = words(guarded.text).map(stem);
  if (!nameStems.some((w) => strong.has(w))) return { ok: false, reason: 'not grounded in the journey keywords' };
  const weak = nameStems.find((w) => all.has(w) && !strong.has(w));
  if (weak) return { ok: false, reason: `uses the weakly supported word "${weak}"` };
  return guarded;
}
