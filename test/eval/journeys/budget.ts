import { tokensOf } from './tokens';

/** Tokens spent on one kind of journey (or on the baseline's own picks) and how many were used again. */
export interface BudgetRow {
  tokens: number;
  found: number;
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

/**
 * Where one build's shared budget went: each journey token (distinct, in rank order, as the budget counts
 * them) under its journey's kind, and the interest baseline's tokens that the journeys did not list, each
 * marked found when the later activity uses it. Tells whether a weak second journey spends budget that the
 * baseline spends better.
 */
export function addBudgetUse(
  into: BudgetUse,
  journeys: readonly RankedJourney[],
  interests: readonly string[],
  truth: ReadonlySet<string>,
): void {
  const add = (kind: string, token: string) => {
    const row = into.rows.get(kind) ?? { tokens: 0, found: 0 };
    row.tokens++;
    if (truth.has(token)) row.found++;
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
  for (const t of interests) if (!listed.has(t)) add('interests: tokens the journeys did not list', t);
  into.builds++;
}
