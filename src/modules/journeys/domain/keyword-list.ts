import { JourneyParams } from './journey-params';
import { ExtractedEvent } from './keywords';
import { UserKeyword } from './user-keywords';

type ListParams = Pick<
  JourneyParams,
  'minKeywordShare' | 'maxKeywords' | 'subsumedShare' | 'minKeywordEvents' | 'minKeywordUse' | 'keepKeywordShare'
>;

/** Share of `word`'s events that also mention `phrase` (both ascending event indices). */
function coveredShare(phrase: readonly number[], word: readonly number[]): number {
  let i = 0;
  let shared = 0;
  for (const e of word) {
    while (i < phrase.length && phrase[i] < e) i++;
    if (phrase[i] === e) shared++;
  }
  return word.length === 0 ? 0 : shared / word.length;
}

/** Seen only in item titles or categories: text the catalogue wrote, not words anyone chose for the journey. */
export function isCatalogueOnly(k: Pick<UserKeyword, 'sources'>): boolean {
  return k.sources.every((s) => s === 'title' || s === 'category');
}

/** Whether an event carries words someone chose: a query, an annotation or a board name. */
export function hasChosenWords(event: ExtractedEvent): boolean {
  return event.mentions.some((m) => m.source !== 'title' && m.source !== 'category');
}

/**
 * Whether a cluster that lists only catalogue text (titles, categories) stands for items met, not a journey:
 * when most of its events carry words the user chose, those words say what the user was after (and belong
 * to other clusters); a title repeated across those events names an item seen again, not a goal. Only
 * activity without any chosen words (an install that sends views alone) makes journeys of catalogue text.
 */
export function isItemShelf(listed: readonly UserKeyword[], events: readonly ExtractedEvent[]): boolean {
  if (events.length === 0 || !listed.every(isCatalogueOnly)) return false;
  return 2 * events.filter(hasChosenWords).length > events.length;
}

/**
 * What a keyword is listed by: the support of the events where the user chose it, so words of item titles and
 * categories met on many items do not outrank the words the user wrote; all its support when only the
 * catalogue ever said it.
 */
export function listingWeight(k: Pick<UserKeyword, 'weight' | 'chosenWeight'>): number {
  return k.chosenWeight > 0 ? k.chosenWeight : k.weight;
}

/** Choosing keywords by how likely the user is to use them again: that probability and each event's session. */
export interface UseChoice {
  useOf: (k: UserKeyword) => number;
  sessionOf: readonly number[];
}

/**
 * The keywords a journey lists, strongest first: only those with a fair share of the top keyword's weight;
 * no word or phrase that (almost) only ever occurs inside a longer listed phrase, since it adds nothing the
 * longer one does not say; no pair cut out of a longer text that nobody ever wrote whole (it may straddle
 * two phrases: "organization clear"); and nothing seen only in the catalogue's text - item titles, whose
 * words ("tutorial", "minute") nobody chose as a keyword, and categories, broad shelves shared by many
 * journeys - unless that is all the journey has (an install that sends no annotations, queries or board names).
 * With a use `choice` (the probability that the user uses the keyword again), keywords are chosen in its
 * order. The likeliest and those with strong support (above keepKeywordShare of the top) anchor the list; any other
 * is listed only when it is not far less likely (minKeywordUse of the likeliest) and was used in a session
 * with an anchor - a word glued to the journey by meaning alone, never used alongside it, is not its word.
 * The list is always strongest first.
 */
export function tightKeywords(members: readonly UserKeyword[], params: ListParams, choice?: UseChoice): UserKeyword[] {
  const byWeight = (a: UserKeyword, b: UserKeyword) => listingWeight(b) - listingWeight(a) || (a.key < b.key ? -1 : 1);
  const use = choice ? new Map(members.map((k) => [k, choice.useOf(k)])) : undefined;
  const sorted = members
    .filter((k) => k.standalone)
    .sort(use ? (a, b) => use.get(b)! - use.get(a)! || byWeight(a, b) : byWeight);
  const chosen = sorted.filter((k) => !isCatalogueOnly(k));
  const recurring = chosen.filter((k) => k.chosenEvents >= params.minKeywordEvents);
  const pool = recurring.length > 0 ? recurring : chosen.length > 0 ? chosen : sorted;
  const top = Math.max(0, ...pool.map(listingWeight));
  const topUse = use && pool[0] ? use.get(pool[0])! : 0;
  const anchored = (k: UserKeyword) => listingWeight(k) > params.keepKeywordShare * top || k === pool[0];
  const sessionsOf = (k: UserKeyword) => k.events.map((e) => choice!.sessionOf[e]);
  const anchorSessions = use ? new Set(pool.filter(anchored).flatMap(sessionsOf)) : undefined;
  const likely = (k: UserKeyword) =>
    !use ||
    anchored(k) ||
    (use.get(k)! >= params.minKeywordUse * topUse && sessionsOf(k).some((s) => anchorSessions!.has(s)));
  const strong = pool.filter((k) => listingWeight(k) >= params.minKeywordShare * top && likely(k));
  const phrases = strong.filter((k) => k.key.includes(' ')).map((k) => ({ k, padded: ` ${k.key} ` }));
  const listed = strong
    .filter((k) => {
      const padded = ` ${k.key} `;
      return !phrases.some(
        (p) =>
          p.k.key.length > k.key.length &&
          p.padded.includes(padded) &&
          coveredShare(p.k.events, k.events) >= params.subsumedShare,
      );
    })
    .slice(0, params.maxKeywords);
  // Chosen by use, listed strongest first; without a use model the list is already in that order.
  return use ? listed.sort(byWeight) : listed;
}
