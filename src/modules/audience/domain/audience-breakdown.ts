/** One group of a campaign's audience (consent on the channel not required): consent, unsubscribes and locale. */
export interface BreakdownRow {
  /** Consent for the channel and an address on it. */
  consented: boolean;
  /** Left the campaign's unsubscribe category, or everything. */
  unsubscribed: boolean;
  locale: string | null;
  users: number;
}

/** The figures of an estimate, counted on every audience fact or on a sample of them. */
export interface AudienceCounts {
  /** Users meeting every rule, consent included, who did not leave the campaign's category. */
  total: number;
  /** Users meeting every rule except consent, without it. */
  withoutConsent: number;
  /** Users with consent and an address who left the campaign's category or everything. */
  unsubscribed: number;
  /** Users of `total` with a qualifying ongoing journey. */
  ongoing: number;
  byLocale: Array<{ locale: string | null; users: number }>;
}

/** Largest first, then by locale name: the order estimates list locales in. */
export function byUsersThenLocale<T extends { locale: string | null; users: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => b.users - a.users || String(a.locale).localeCompare(String(b.locale)));
}

/** Adds up the grouped rows of one pass; `ongoing` is the separate count, or 'total' when every user qualifies. */
export function tallyBreakdown(rows: readonly BreakdownRow[], ongoing: number | 'total'): AudienceCounts {
  let total = 0;
  let withoutConsent = 0;
  let unsubscribed = 0;
  const locales = new Map<string | null, number>();
  for (const row of rows) {
    if (!row.consented) {
      withoutConsent += row.users;
      continue;
    }
    if (row.unsubscribed) {
      unsubscribed += row.users;
      continue;
    }
    total += row.users;
    locales.set(row.locale, (locales.get(row.locale) ?? 0) + row.users);
  }
  const byLocale = byUsersThenLocale([...locales].map(([locale, users]) => ({ locale, users })));
  return { total, withoutConsent, unsubscribed, ongoing: ongoing === 'total' ? total : ongoing, byLocale };
}
