import { tokensOf } from './tokens';

/**
 * Tokens spent on one kind of journey (or on the baseline's own picks), how many were used again, and how many
 * times the user had used them before the cut (summed over tokens: a token's earlier events).
 */
export interface BudgetRow {
  tokens: number;
  found: number;
  earlierUses: number;
}

/** Budget use by where the tokens came from, summed over builds; `builds` counts the builds added. */
export interface BudgetUse {
  builds: number;
  rows: Map<string, BudgetRow>;
}

export const emptyBudgetUse = (): BudgetUse => ({ builds: 0, rows: new Map() });

type RankedJourney = { stage: string; basis?: string; keywords: ReadonlyArray<{ text: string }> };

/** The kind a journey's tokens are counted under: a thin journey of strongest keywords, or rank and stage. */
export function budgetKind(journey: RankedJourney, rank: number): string {
  if (journey.basis === 'strongest-keywords') return 'journeys: strongest keywords (sparse user)';
  return `journeys: rank ${rank === 1 ? '1 ' : '2+'} ${journey.stage}`;
}

/** What else a build knows of the baseline's tokens: those any of the user's journeys lists, and earlier uses. */
export interface BudgetContext {
  /** Tokens listed by any journey of the build, also those beyond the budget or not notified about. */
  listedByAny: ReadonlySet<string>;
  /** Events using each token before the cut. */
  earlierUses: ReadonlyMap<string, number>;
}

export const INTERESTS_LISTED_ELSEWHERE = 'interests: listed by a journey beyond the budget';
export const INTERESTS_LISTED_NOWHERE = 'interests: listed by no journey';

/**
 * Where one build's shared budget went: each journey token (distinct, in rank order, as the budget counts
 * them) under its journey's kind, and the interest baseline's tokens that the journeys did not list, each
 * marked found when the later activity uses it. Tells whether a weak second journey spends budget that the
 * baseline spends better, and, with a `context`, whether the baseline's better picks are words some journey
 * lists (a ranking question) or words no journey lists at all (a question of what journeys are made of).
 */
export function addBudgetUse(
  into: BudgetUse,
  journeys: readonly RankedJourney[],
  interests: readonly string[],
  truth: ReadonlySet<string>,
  context?: BudgetContext,
): void {
  const add = (kind: string, token: string) => {
    const row = into.rows.get(kind) ?? { tokens: 0, found: 0, earlierUses: 0 };
    row.tokens++;
    if (truth.has(token)) row.found++;
    row.earlierUses += context?.earlierUses.get(token) ?? 0;
    into.rows.set(kind, row);
  };
  const listed = new Set<string>();
  journeys.forEach((j, i) => {
    for (const t of j.keywords.flatMap((k) => tokensOf(k.text))) {
      if (listed.has(t)) continue;
      listed.add(t);
      add(budgetKind(j, i + 1), t);
    }
  });
  for (const t of interests) {
    if (listed.has(t)) continue;
    if (!context) add('interests: tokens the journeys did not list', t);
    else add(context.listedByAny.has(t) ? INTERESTS_LISTED_ELSEWHERE : INTERESTS_LISTED_NOWHERE, t);
  }
  into.builds++;
}

/** Events using each token, of a list of events' tokens. */
export function tokenUses(events: ReadonlyArray<{ tokens: readonly string[] }>): Map<string, number> {
  const uses = new Map<string, number>();
  for (const e of events) for (const t of new Set(e.tokens)) uses.set(t, (uses.get(t) ?? 0) + 1);
  return uses;
}
