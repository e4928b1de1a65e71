import { MetricSpec } from '../metrics';
import { OneSided } from '../statistics/canonical-test';
import { DataGate } from '../statistics/data-gate';
import { formatCount, formatEstimate } from './format';
import { Bounds, MetricRole, UnboundedInterval, Verdict } from './report-model';

export interface VerdictInput {
  metric: MetricSpec;
  role: MetricRole;
  control: string;
  treatment: string;
  gate: DataGate;
  /**
   * The gate a guardrail's harm must pass to be reported before `gate` opens: 2 users per arm, and for a count the
   * minimum events (a rate with few events is tested exactly, a count by a normal approximation).
   */
  harmGate: DataGate;
  /**
   * A guardrail's always-valid test before `gate` opens (the comparison itself when sequential testing is on): an
   * early breach is called only when it holds at every look. Null otherwise.
   */
  alwaysValid: { pValue: number; bounds: Bounds; scale: 'relative' | 'absolute' } | null;
  /** The displayed (possibly adjusted) p-value; null when nothing could be tested. */
  pValue: number | null;
  alpha: number;
  bounds: Bounds | null;
  scale: 'relative' | 'absolute';
  /** Why `bounds` has none, when the correction took them away. */
  unbounded: UnboundedInterval | null;
  /** The direction of a one-sided test (a guardrail's harm): `pValue` is that tail's, `bounds` its one bound. */
  oneSided: OneSided | null;
  srmWarning: boolean;
}

/** Why a verdict is withheld, in words. */
function gateText(gate: DataGate, metric: MetricSpec): string {
  if (gate.ready) return 'no variation in the data yet';
  if (gate.reason === 'sample') {
    return `${formatCount(gate.have)} of ${formatCount(gate.need)} users in the smaller arm`;
  }
  return `${formatCount(gate.have)} of ${formatCount(gate.need)} ${metric.events ?? 'values'} in the two arms`;
}

/**
 * A guardrail already significantly worse before the data gate opens. The gate keeps a noisy early win from being
 * shipped; holding back a harm the test already sees would keep sending it, so a guardrail's harm is reported at
 * once, said to be early, when its test holds: a rate's, or a count's once it has the minimum events (Welch's t on
 * a handful of conversions is not one). A report read daily before the gate peeks at a fixed-horizon test, so the
 * harm must also hold at every look: the always-valid test must reject too.
 */
function earlyBreach(input: VerdictInput, estimate: number): boolean {
  const worse = input.metric.higherIsBetter ? estimate < 0 : estimate > 0;
  return (
    input.role === 'guardrail' &&
    input.harmGate.ready &&
    input.pValue !== null &&
    input.pValue < input.alpha &&
    input.alwaysValid !== null &&
    input.alwaysValid.pValue < input.alpha &&
    worse
  );
}

/**
 * The plain-language verdict of one comparison. Significance is read from the same (adjusted)
 * p-value the displayed interval inverts, so the sentence and its interval always agree.
 */
export function verdictFor(input: VerdictInput): Verdict {
  const { metric, control, treatment, bounds, scale } = input;
  const suffix = input.srmWarning ? ' (unreliable: sample ratio mismatch)' : '';
  if (input.pValue !== null && bounds !== null && !input.gate.ready && earlyBreach(input, bounds.estimate)) {
    const estimate = formatEstimate(bounds, scale, metric.kind, input.unbounded, input.oneSided);
    const { bounds: valid, scale: validScale } = input.alwaysValid!;
    const everyLook = `it holds at every look: ${formatEstimate(valid, validScale, metric.kind)} always valid`;
    return {
      status: 'loss',
      text: `Guardrail breached: ${treatment} is worse than ${control} on ${metric.label}: ${estimate} (early: ${gateText(input.gate, metric)}; ${everyLook})${suffix}`,
    };
  }
  if (!input.gate.ready || input.pValue === null || bounds === null) {
    return {
      status: 'not-enough-data',
      text: `Not enough data yet on ${metric.label} (${treatment} vs ${control}): ${gateText(input.gate, metric)}${suffix}`,
    };
  }
  const estimate = formatEstimate(bounds, scale, metric.kind, input.unbounded, input.oneSided);
  if (input.pValue >= input.alpha) {
    return {
      status: 'inconclusive',
      text: `No significant difference between ${treatment} and ${control} on ${metric.label}: ${estimate}${suffix}`,
    };
  }
  const better = bounds.estimate > 0 === metric.higherIsBetter;
  if (better) return { status: 'win', text: `${treatment} beats ${control} on ${metric.label}: ${estimate}${suffix}` };
  const prefix = input.role === 'guardrail' ? 'Guardrail breached: ' : '';
  return {
    status: 'loss',
    text: `${prefix}${treatment} is worse than ${control} on ${metric.label}: ${estimate}${suffix}`,
  };
}
