import { Recency } from './judge-types';

const DAY = 86_400_000;

/** The recency bucket of an instant seen from `now`. */
export function recencyOf(at: number, now: number): Recency {
  const days = (now - at) / DAY;
  if (days < 1) return 'today';
  if (days < 7) return 'this week';
  if (days < 30) return 'this month';
  if (days < 90) return '1-3 months ago';
  return 'over 3 months ago';
}
