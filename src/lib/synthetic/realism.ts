import type { RawEvent } from './population';
import { Prng } from './prng';
import { Theme } from './themes';

/**
 * What makes the harder population look like real activity: few events for most users and many for a few,
 * users who only tag or only search, clocks that stamp whole batches at one instant, tasks interleaved
 * inside one session, and item categories so broad that unrelated journeys share them.
 */
export interface Realism {
  /** Median events per user; the spread is log-normal, so a few users have ten times as many. */
  medianEvents: number;
  /** Share of users whose events are all searches, and of those whose events are all tags on items. */
  searchOnlyShare: number;
  tagOnlyShare: number;
  /** Share of users whose timestamps are truncated to the hour (a batch import, a coarse clock). */
  coarseClockShare: number;
  /** Chance that a session of one journey is interleaved with a session of another. */
  interleaveChance: number;
}

export const HARD_REALISM: Realism = {
  medianEvents: 12,
  searchOnlyShare: 0.2,
  tagOnlyShare: 0.2,
  coarseClockShare: 0.3,
  interleaveChance: 0.3,
};

/** Catalogue shelves every theme's items sit on too: words shared by unrelated journeys. */
export const GENERIC_CATEGORIES: readonly string[] = ['home', 'lifestyle', 'ideas', 'popular', 'style'];

const HOUR = 3_600_000;

export type Habit = 'mixed' | 'search-only' | 'tag-only';

/** One user's way of using the platform. */
export interface UserHabits {
  total: number;
  habit: Habit;
  coarse: boolean;
}

/** Draws a user's event count (log-normal around the median) and habits. */
export function drawHabits(prng: Prng, realism: Realism): UserHabits {
  // Box-Muller: a standard normal from two uniforms.
  const z = Math.sqrt(-2 * Math.log(1 - prng.next())) * Math.cos(2 * Math.PI * prng.next());
  const total = Math.max(2, Math.min(600, Math.round(realism.medianEvents * Math.exp(1.1 * z))));
  const roll = prng.next();
  const habit: Habit =
    roll < realism.searchOnlyShare
      ? 'search-only'
      : roll < realism.searchOnlyShare + realism.tagOnlyShare
        ? 'tag-only'
        : 'mixed';
  return { total, habit, coarse: prng.chance(realism.coarseClockShare) };
}

/** An event as a user of this habit would make it: a search, a tag on an item, or as drawn. */
export function applyHabit(
  body: Omit<RawEvent, 'id' | 'userId' | 'occurredAt'>,
  habit: Habit,
  theme: Theme,
  prng: Prng,
): Omit<RawEvent, 'id' | 'userId' | 'occurredAt'> {
  if (habit === 'search-only' && body.type !== 'search') return { type: 'search', query: prng.pick(theme.queries) };
  if (habit !== 'tag-only') return withGenericCategory(body, prng);
  const k = prng.int(0, theme.titles.length - 1);
  return {
    type: 'save',
    item: { id: `${theme.id}-${k}`, title: theme.titles[k], annotations: [prng.pick(theme.annotations)] },
  };
}

function withGenericCategory(
  body: Omit<RawEvent, 'id' | 'userId' | 'occurredAt'>,
  prng: Prng,
): Omit<RawEvent, 'id' | 'userId' | 'occurredAt'> {
  if (!body.item?.categories) return body;
  return { ...body, item: { ...body.item, categories: [...body.item.categories, prng.pick(GENERIC_CATEGORIES)] } };
}

/** A timestamp as a coarse clock records it: truncated to the hour. */
export function coarsen(at: number, coarse: boolean): number {
  return coarse ? Math.floor(at / HOUR) * HOUR : at;
}
