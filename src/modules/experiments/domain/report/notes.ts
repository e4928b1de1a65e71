import { CORRECTION_NAMES, SRM_TEST_NAMES, formatP } from './format';
import { AllocationPeriod, ExperimentReport } from './report-model';

const HOUR = 3_600_000;

/** Caveats a reader needs next to the numbers: open windows, changed weights, uneven delivery, how to read intervals. */
export function reportNotes(
  report: ExperimentReport,
  allocations: AllocationPeriod[],
  splitsNotRecorded: { srmLeftOut: readonly string[]; comparedByDay: readonly string[] },
): string[] {
  const notes: string[] = [];
  const { settings, experiment } = report;
  if (report.period) {
    const closes = Date.parse(`${report.period.lastDay}T23:59:59.999Z`) + experiment.attributionWindowHours * HOUR;
    if (closes > Date.parse(report.asOf)) {
      notes.push(
        `Outcomes are still arriving: the ${experiment.attributionWindowHours} h attribution window of users assigned on ${report.period.lastDay} closes at ${new Date(closes).toISOString()}; rates can still rise.`,
      );
    }
  }
  if (allocations.length > 1) {
    const { srmLeftOut, comparedByDay } = splitsNotRecorded;
    const leftOut =
      srmLeftOut.length > 0
        ? ` It leaves out ${srmLeftOut.join(', ')}: the day of a change whose users' splits were not recorded.`
        : '';
    const byDay =
      comparedByDay.length > 0
        ? ` The comparisons take the users of ${comparedByDay.join(', ')}, the day of a change whose users or outcomes were not all recorded by split, as drawn under the new split, though those assigned before the change were drawn under the old one.`
        : '';
    notes.push(
      `Weights changed during the experiment: the SRM check expects each user by the split they were drawn under, so the day of a change is checked too; assigned users kept their arm. Arms are compared among the users drawn under the same split and the differences averaged, so the change is not read as an effect; a new phase (seed) still gives the cleanest read.${leftOut}${byDay}`,
    );
  }
  if (comparedApartFromPooled(report)) {
    notes.push(
      "Value (pooled) is each arm over all its users. A comparison is made within the splits users were drawn under, so the values it compares (control → arm) are each arm per split weighted by the two arms' users in it, leaving out splits where either arm has fewer than 2 users; its difference and lift are of those values, which here differ from the pooled ones.",
    );
  }
  if (report.deliveryBalance?.status === 'warning') {
    notes.push(
      `Delivery rates differ between variants (${formatP(report.deliveryBalance.pValue)}, ${SRM_TEST_NAMES[report.deliveryBalance.test]}): one variant lost more users to suppression, fallback or failures. They still count in their variant (intent to treat), so the comparison stays fair, but check why.`,
    );
  }
  notes.push(
    settings.sequential
      ? `Sequential testing is on (N* = ${settings.sequential.tuning}): p-values and intervals stay valid however often this report is read.`
      : 'Fixed-horizon test: decide once, when the planned sample is reached; intervals of earlier days show the trend, not a decision.',
  );
  if (settings.correction !== 'none') notes.push(correctionNote(report));
  notes.push(
    'Chance to beat control is Bayesian (a flat prior unless one is set); with a flat prior it is the complement of the one-sided p-value, not extra evidence.',
  );
  return notes;
}

/**
 * What the correction did: the families it adjusted (a family of one comparison with a test is left as tested), or that
 * it adjusted nothing, so a reader does not take an interval as plain as widened.
 */
function correctionNote(report: ExperimentReport): string {
  const name = CORRECTION_NAMES[report.settings.correction];
  const corrected = (role: 'primary' | 'secondary') =>
    report.metrics.some((m) => m.role === role && m.correction !== 'none');
  const families = [
    ...(corrected('secondary') ? ['Secondary metrics'] : []),
    ...(corrected('primary') ? ['the primary metric across treatments'] : []),
  ];
  if (families.length > 0) {
    const which = families.join(' and ');
    return `${which.charAt(0).toUpperCase()}${which.slice(1)} ${families.length === 1 && !corrected('secondary') ? 'is' : 'are'} corrected by ${name}; their intervals are widened to agree with the adjusted p-values. Guardrails are not corrected.`;
  }
  const single = report.metrics.some((m) => m.role === 'secondary')
    ? 'the primary metric and the secondary metrics each have one comparison tested'
    : 'the primary metric has one comparison tested';
  return `No p-value or interval is corrected for multiple comparisons: ${single} (${name} corrects a family of several). Guardrails are not corrected.`;
}

/** Whether some comparison is of values other than its arms' pooled ones (a split changed, or a stratum was left out). */
function comparedApartFromPooled(report: ExperimentReport): boolean {
  const close = (a: number, b: number | null) => b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  return [...report.metrics, ...report.holdout].some((m) =>
    m.comparisons.some((c) => {
      const value = (arm: string) => m.arms.find((a) => a.arm === arm)?.value ?? null;
      return (
        c.comparedValues !== null &&
        !(close(c.comparedValues.control, value(c.control)) && close(c.comparedValues.treatment, value(c.treatment)))
      );
    }),
  );
}
