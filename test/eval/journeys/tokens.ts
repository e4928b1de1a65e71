import { RawEvent } from '../../../src/lib/synthetic/population';
import { contentTokens, normalizeText, singularize } from '../../../src/lib/text/normalize';

/** Content tokens of a text in their merge form (singular), as keyword keys use them. */
export function tokensOf(text: string): string[] {
  return contentTokens(text).map(singularize);
}

/**
 * The words a user chose in an event: the query, the board name and the item's annotations. Item titles and
 * categories are left out because the catalogue wrote them, not the user: they are what the user met, not
 * what they asked for. The truth of later activity and the interest baseline are both made of these tokens.
 */
export function authoredTokens(event: Pick<RawEvent, 'query' | 'board' | 'item'>): string[] {
  const texts = [event.query, event.board?.name, ...(event.item?.annotations ?? [])];
  return [...new Set(texts.flatMap((t) => (t ? tokensOf(t) : [])))];
}

/** Every text of an event as written (normalised, nothing left out): what a journey's name may be held against. */
export function writtenTexts(event: Pick<RawEvent, 'query' | 'board' | 'item'>): string[] {
  const item = event.item;
  const texts = [
    event.query,
    event.board?.name,
    item?.title,
    ...(item?.annotations ?? []),
    ...(item?.categories ?? []),
  ];
  return texts.map((t) => (t ? normalizeText(t) : '')).filter(Boolean);
}

/** The distinct tokens of ranked journeys' keywords, in journey rank then keyword order (the budget). */
export function journeyTokens(journeys: ReadonlyArray<{ keywords: ReadonlyArray<{ text: string }> }>): string[] {
  const out = new Set<string>();
  for (const j of journeys) for (const k of j.keywords) for (const t of tokensOf(k.text)) out.add(t);
  return [...out];
}

/**
 * The interest baseline: the user's most frequent authored tokens (by events that use them), ties broken by
 * the more recent use and then alphabetically, cut to `budget`.
 */
export function interestTokens(
  early: ReadonlyArray<{ at: number; tokens: readonly string[] }>,
  budget: number,
): string[] {
  const stats = new Map<string, { count: number; last: number }>();
  for (const e of early) {
    for (const t of e.tokens) {
      const s = stats.get(t) ?? { count: 0, last: -Infinity };
      s.count++;
      s.last = Math.max(s.last, e.at);
      stats.set(t, s);
    }
  }
  return [...stats]
    .sort(([ta, a], [tb, b]) => b.count - a.count || b.last - a.last || (ta < tb ? -1 : 1))
    .slice(0, budget)
    .map(([t]) => t);
}

/**
 * The hindsight bound of any choice of the user's own words: their earlier authored tokens that do occur in
 * the truth first (in the interest baseline's order), then the others, cut to `budget`.
 */
export function hindsightTokens(
  early: ReadonlyArray<{ at: number; tokens: readonly string[] }>,
  truth: ReadonlySet<string>,
  budget: number,
): string[] {
  const all = interestTokens(early, Infinity);
  return [...all.filter((t) => truth.has(t)), ...all.filter((t) => !truth.has(t))].slice(0, budget);
}
