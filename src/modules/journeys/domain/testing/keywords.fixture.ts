import { LexiconJson, PlatformLexicon } from '../lexicon';
import { UserKeyword } from '../user-keywords';

/** A user keyword with defaults for everything a test does not care about. */
export function userKeyword(key: string, overrides: Partial<UserKeyword> = {}): UserKeyword {
  const sources = overrides.sources ?? ['search'];
  const chosen = sources.some((s) => s !== 'title' && s !== 'category');
  const weight = overrides.weight ?? 1;
  return {
    key,
    text: key,
    weight,
    chosenWeight: chosen ? weight : 0,
    chosenEvents: chosen ? (overrides.events?.length ?? 1) : 0,
    sources,
    actions: {},
    events: [],
    firstSeen: 0,
    lastSeen: 0,
    variants: [],
    specificity: 1,
    standalone: true,
    ...overrides,
  };
}

/** A hand-made platform lexicon from [key, events, users, whole, surface?] rows, over `users` users. */
export function handLexicon(
  entries: ReadonlyArray<[key: string, count: number, users: number, whole: number, surface?: string]>,
  users = 100,
): PlatformLexicon {
  const stats: LexiconJson = {
    users,
    counts: entries.map((e) => e[1]),
    userCounts: entries.map((e) => e[2]),
    wholeCounts: entries.map((e) => e[3]),
    surfaces: entries.map((e) => e[4] ?? ''),
  };
  return new PlatformLexicon(
    entries.map((e) => e[0]),
    stats,
  );
}
