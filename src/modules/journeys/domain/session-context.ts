import { ExtractedEvent } from './keywords';

/** Words the user or a curator chose (not catalogue titles and shelves, which every item of a burst shares). */
function wordsOf(event: ExtractedEvent): string[] {
  const words = new Set<string>();
  for (const m of event.mentions) {
    if (m.source === 'title' || m.source === 'category') continue;
    for (const w of m.key.split(' ')) words.add(w);
  }
  return [...words];
}

/**
 * Searches minutes apart that share a word serve one need: within each session, events linked by shared
 * words (directly or along a chain) go to one journey - the one most of them were given - and events no
 * journey claimed join it ("orphan train" next to "orphan train movie"). A link needs a specific word of
 * `minWordLength` letters or more. `owned` lists each journey's event indices into the time-sorted
 * `events`; returns new lists.
 */
export function claimBySession(
  events: readonly ExtractedEvent[],
  owned: readonly number[][],
  gapMs: number,
  isGeneric: (word: string) => boolean = () => false,
  minWordLength = 3,
): number[][] {
  const owner = events.map(() => -1);
  owned.forEach((indices, c) => indices.forEach((i) => (owner[i] = c)));
  const parent = events.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  let start = 0;
  for (let end = 1; end <= events.length; end++) {
    if (end < events.length && events[end].at - events[end - 1].at <= gapMs) continue;
    const firstWith = new Map<string, number>();
    for (let i = start; i < end; i++) {
      for (const w of wordsOf(events[i])) {
        if (w.length < minWordLength || isGeneric(w)) continue;
        const j = firstWith.get(w);
        if (j === undefined) firstWith.set(w, i);
        else parent[find(i)] = find(j);
      }
    }
    start = end;
  }
  const votes = new Map<number, Map<number, number>>();
  owner.forEach((c, i) => {
    if (c < 0) return;
    const root = find(i);
    const v = votes.get(root) ?? new Map<number, number>();
    v.set(c, (v.get(c) ?? 0) + 1);
    votes.set(root, v);
  });
  const out: number[][] = owned.map(() => []);
  owner.forEach((c, i) => {
    const v = votes.get(find(i));
    let best = c;
    let bestVotes = -1;
    for (const [candidate, n] of v ?? []) {
      if (n > bestVotes || (n === bestVotes && candidate < best)) [best, bestVotes] = [candidate, n];
    }
    if (best >= 0) out[best].push(i);
  });
  return out;
}
