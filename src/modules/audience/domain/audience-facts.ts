import { normalizeForMatching, normalizeText } from '../../../lib/text/normalize';
import { stageEndsAt } from '../../journeys/domain/stage';
import { canonicalLocale, variantChain } from '../../templates/domain/locale-chain';

/**
 * Per-user facts that audience rules count on, denormalised into one indexed document per user so a
 * campaign's audience is an index-backed count rather than a scan of users, events and journeys.
 */

export type Stage = 'ongoing' | 'ended';
export type JourneyKind = 'situational' | 'evergreen';

/** One journey as audience rules see it. */
export interface JourneyFact {
  id: string;
  stage: Stage;
  type: JourneyKind;
  confidence: number;
  /**
   * When an ongoing journey has ended if the user does nothing more with it (its last activity, for an
   * ended one): rules on the stage read it at the campaign's time. Absent on facts written before it was.
   */
  endsAt?: Date;
  /** In a sensitive category: only deployments that notify about sensitive journeys count it. */
  sensitive: boolean;
  /** Its name and keywords, and each of their words, normalised: what include/exclude terms match. */
  terms: string[];
}

/** The stored value of a user without a locale, so locale rules can name it. */
export const NO_LOCALE = '-';

/** Every journey stage a rule may name. */
export const STAGES: readonly Stage[] = ['ongoing', 'ended'];
const KINDS: readonly JourneyKind[] = ['situational', 'evergreen'];

/** Whole percent of a confidence (two decimals of a rule compare exactly against it). */
function percent(confidence: number): number {
  return Math.max(0, Math.min(100, Math.floor(confidence * 100 + 1e-9)));
}

/** The tag of a journey: stage, type, whole-percent confidence and sensitivity; rules become `$in` lists of tags. */
export function journeyTag(stage: Stage, type: JourneyKind, confidence: number, sensitive: boolean): string {
  return `${stage}|${type}|${String(percent(confidence)).padStart(3, '0')}|${sensitive ? 's' : 'n'}`;
}

/** Normalised text for term matching: what a rule's term and a journey's names are compared as. */
export function normalizeTerm(text: string): string {
  return normalizeText(text);
}

/** Terms a journey answers to: its name, its keywords and every word of them. */
export function journeyTerms(name: string, keywords: ReadonlyArray<{ text: string }>): string[] {
  const phrases = [name, ...keywords.map((k) => k.text)].map(normalizeTerm).filter(Boolean);
  return [...new Set([...phrases, ...phrases.flatMap((p) => p.split(' '))])].sort();
}

// Letters as stored terms may write them: by the letter the safety policy folds them to (`é`, `è` under `e`).
let accentedForms: Map<string, string[]> | undefined;

function formsOf(letter: string): string[] {
  if (!accentedForms) {
    accentedForms = new Map();
    // Latin, Greek and Cyrillic letters with marks, the ones normalizeForMatching folds.
    for (const [from, to] of [
      [0xc0, 0x24f],
      [0x370, 0x4ff],
      [0x1e00, 0x1fff],
    ]) {
      for (let code = from; code <= to; code++) {
        const stored = normalizeText(String.fromCodePoint(code));
        const folded = normalizeForMatching(stored);
        if ([...stored].length !== 1 || [...folded].length !== 1 || folded === stored) continue;
        const forms = accentedForms.get(folded) ?? [];
        if (!forms.includes(stored)) accentedForms.set(folded, [...forms, stored]);
      }
    }
  }
  return [letter, ...(accentedForms.get(letter) ?? [])];
}

/**
 * Matches a stored term (a journey's name, a keyword, or one of their words) holding any of `terms` as a whole
 * word or phrase, accents or not as the safety policy compares them: one pattern for all of a policy's terms.
 */
export function withheldPattern(terms: readonly string[] | undefined): RegExp | undefined {
  const folded = [...new Set((terms ?? []).map(normalizeForMatching).filter(Boolean))];
  if (folded.length === 0) return undefined;
  const alternatives = folded.map((term) =>
    [...term]
      .map((c) => {
        const forms = formsOf(c).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
        return forms.length === 1 ? forms[0] : `[${forms.join('')}]`;
      })
      .join(''),
  );
  return new RegExp(`(?:^| )(?:${alternatives.join('|')})(?: |$)`, 'u');
}

/** The facts of a user's journeys, from the stored journeys of their latest build. */
export function journeyFactsOf(
  journeys: ReadonlyArray<{
    id: string;
    name: string;
    keywords: ReadonlyArray<{ text: string }>;
    stage: Stage;
    type: JourneyKind;
    confidence: number;
    sensitiveCategories: readonly string[];
    /** What the stage's end is read from; a journey without it keeps its stage (`endsAt` absent). */
    engagement?: { lastSeen: Date; timestamps: number[] };
  }>,
): { journeys: JourneyFact[]; journeyTags: string[] } {
  const facts = journeys.map((j) => ({
    id: j.id,
    stage: j.stage,
    type: j.type,
    confidence: j.confidence,
    ...(j.engagement && { endsAt: new Date(stageEndsAt({ ...j, engagement: j.engagement })) }),
    sensitive: j.sensitiveCategories.length > 0,
    terms: journeyTerms(j.name, j.keywords),
  }));
  const tags = facts.map((f) => journeyTag(f.stage, f.type, f.confidence, f.sensitive));
  return { journeys: facts, journeyTags: [...new Set(tags)].sort() };
}

/** Tags of every journey meeting the rules: a `$in` list that makes the rule an indexed lookup. */
export function tagsMatching(rules: {
  stages?: readonly Stage[];
  types?: readonly JourneyKind[];
  minConfidence?: number;
  allowSensitive: boolean;
}): string[] {
  const from = rules.minConfidence === undefined ? 0 : Math.round(rules.minConfidence * 100);
  const tags: string[] = [];
  for (const stage of rules.stages ?? STAGES) {
    for (const type of rules.types ?? KINDS) {
      for (let p = from; p <= 100; p++) {
        for (const sensitive of rules.allowSensitive ? [false, true] : [false]) {
          tags.push(journeyTag(stage, type, p / 100, sensitive));
        }
      }
    }
  }
  return tags;
}

/**
 * The rule `localeTags` follows; raised when it changes, so stored facts are retagged once
 * (AudienceFactsRepository.refreshLocaleTags). 2: the template variant chain, script forms included.
 */
export const LOCALE_TAGS_RULE = 2;

/**
 * Tags a locale answers to, in lower case: every template variant a message to it is written in, along the
 * same chain (`zh-TW` → `zh-tw`, `zh-hant-tw`, `zh-hant`, `zh`; `fr-CA` → `fr-ca`, `fr-latn-ca`, `fr-latn`,
 * `fr`); NO_LOCALE when absent.
 */
export function localeTags(locale: string | undefined): string[] {
  if (!locale) return [NO_LOCALE];
  const canonical = canonicalLocale(locale) ?? locale.replace(/_/g, '-');
  return [...new Set(variantChain(canonical).map((tag) => tag.toLowerCase()))];
}
