import { MetricKind, SufficientStats } from './sufficient-stats';

export interface DataGateSettings {
  /** Fewest users in each compared arm before a verdict. */
  minimumSample: number;
  /** Fewest events (users with a 1, for rates) in the two arms together before a verdict. */
  minimumEvents: number;
}

export type DataGate =
  | { ready: true }
  | { ready: false; reason: 'sample'; have: number; need: number }
  | { ready: false; reason: 'events'; have: number; need: number };

/**
 * Whether a comparison has enough data for a verdict. Rates also need events: a normal
 * approximation over a handful of clicks is not a result, whatever its p-value says.
 */
export function dataGate(
  control: SufficientStats,
  treatment: SufficientStats,
  kind: MetricKind,
  settings: DataGateSettings,
): DataGate {
  const smallest = Math.min(control.n, treatment.n);
  if (smallest < settings.minimumSample) {
    return { ready: false, reason: 'sample', have: smallest, need: settings.minimumSample };
  }
  const events = control.sum + treatment.sum;
  if (kind === 'rate' && events < settings.minimumEvents) {
    return { ready: false, reason: 'events', have: events, need: settings.minimumEvents };
  }
  return { ready: true };
}
