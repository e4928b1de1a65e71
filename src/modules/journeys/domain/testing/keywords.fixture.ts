import { LexiconJson, PlatformLexicon } from '../lexicon';
import { UserKeyword } from '../user-keywords';

/** A user keyword with defaults for everything a test does not care about. */
export function userKeyword(key: string, overrides: Partial<UserKeyword> = {}): UserKeyword {
  return {
    key,
    text: key,
    weight: 1,
    sources: ['search'],
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
