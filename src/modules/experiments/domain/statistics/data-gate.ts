import { SufficientStats } from './sufficient-stats';

export interface DataGateSettings {
  /** Fewest users in each compared arm before a verdict (at least 2 are needed whatever it says). */
  minimumSample: number;
  /** Fewest events (users with a 1 of a rate, outcomes of a count) in the two arms together before a verdict. */
  minimumEvents: number;
}

export type DataGate =
  | { ready: true }
  | { ready: false; reason: 'sample'; have: number; need: number }
  | { ready: false; reason: 'events'; have: number; need: number };

/**
 * Whether a comparison has enough data for a verdict. A metric whose Σy counts events (a rate, a count of
 * conversions) also needs events: a normal approximation over a handful of clicks or conversions is not a
 * result, whatever its p-value says.
 */
export function dataGate(
  control: SufficientStats,
  treatment: SufficientStats,
  countsEvents: boolean,
  settings: DataGateSettings,
): DataGate {
  const smallest = Math.min(control.n, treatment.n);
  // No arm of one user has a variance to test with, whatever the minimum sample says.
  const need = Math.max(2, settings.minimumSample);
  if (smallest < need) return { ready: false, reason: 'sample', have: smallest, need };
  const events = control.sum + treatment.sum;
  if (countsEvents && events < settings.minimumEvents) {
    return { ready: false, reason: 'events', have: events, need: settings.minimumEvents };
  }
  return { ready: true };
}
