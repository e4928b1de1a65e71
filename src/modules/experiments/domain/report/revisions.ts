import type { ExperimentDefinition } from '../experiment-definition';

/** A definition an experiment was assigned with, from the moment it was first registered. */
export interface DefinitionRevision {
  from: Date;
  definitionHash: string;
  definition: ExperimentDefinition;
}

/**
 * The definition in force at `at`: the last revision registered by then, or the first one for an instant
 * before the experiment existed. `current` when no revision was recorded (an experiment registered before
 * revisions were kept).
 */
export function definitionAsOf(
  current: ExperimentDefinition,
  revisions: readonly DefinitionRevision[],
  at: Date,
): ExperimentDefinition {
  let inForce = revisions[0]?.definition ?? current;
  for (const revision of revisions) if (revision.from.getTime() <= at.getTime()) inForce = revision.definition;
  return inForce;
}

/**
 * The report's notes on how the definition changed by `at`, in the order of the changes. Weights and the
 * holdout share have notes of their own (allocations); these cover what decides how results are read: the
 * primary metric (chosen after seeing data, it inflates false positives), the other metrics, the attribution
 * window (outcomes are counted with the window in force when they happen), the analysis settings and the
 * smallest sample. Pure.
 */
export function definitionChangeNotes(revisions: readonly DefinitionRevision[], at: Date): string[] {
  const notes: string[] = [];
  const applied = revisions.filter((r) => r.from.getTime() <= at.getTime());
  for (let i = 1; i < applied.length; i++) {
    const before = applied[i - 1].definition;
    const after = applied[i].definition;
    const when = applied[i].from.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
    if (before.metrics.primary !== after.metrics.primary) {
      notes.push(
        `The primary metric changed from ${before.metrics.primary} to ${after.metrics.primary} on ${when}. A primary metric chosen after the data came in makes a false positive more likely; decide on the one set before the experiment started when you can.`,
      );
    }
    for (const role of ['secondary', 'guardrails'] as const) {
      const added = after.metrics[role].filter((m) => !before.metrics[role].includes(m));
      const removed = before.metrics[role].filter((m) => !after.metrics[role].includes(m));
      const label = role === 'secondary' ? 'Secondary metrics' : 'Guardrail metrics';
      const parts = [
        ...(added.length > 0 ? [`added ${added.join(', ')}`] : []),
        ...(removed.length > 0 ? [`removed ${removed.join(', ')}`] : []),
      ];
      if (parts.length > 0) {
        notes.push(
          `${label} changed on ${when}: ${parts.join('; ')}. Every metric is counted from the start, so their numbers cover the whole experiment.`,
        );
      }
    }
    if (before.attributionWindowHours !== after.attributionWindowHours) {
      notes.push(
        `The attribution window changed from ${before.attributionWindowHours} h to ${after.attributionWindowHours} h on ${when}: outcomes before then were counted within the old window, later ones within the new.`,
      );
    }
    const settings = analysisChanges(before, after);
    if (settings.length > 0) notes.push(`The analysis settings changed on ${when}: ${settings.join(', ')}.`);
  }
  return notes;
}

/** The reading settings that differ between two definitions, each as `name from → to`. */
function analysisChanges(before: ExperimentDefinition, after: ExperimentDefinition): string[] {
  const a = before.analysis;
  const b = after.analysis;
  const sequential = (s: ExperimentDefinition['analysis']['sequential']) => (s ? `tuning ${s.tuning}` : 'off');
  const prior = (p: ExperimentDefinition['analysis']['prior']) => (p ? `relative sd ${p.relativeSd}` : 'flat');
  const pairs: Array<[string, string, string]> = [
    ['alpha', String(a.alpha), String(b.alpha)],
    ['correction', a.correction, b.correction],
    ['sequential', sequential(a.sequential), sequential(b.sequential)],
    ['minimum events', String(a.minimumEvents), String(b.minimumEvents)],
    ['target lift', String(a.targetLift), String(b.targetLift)],
    ['power', String(a.power), String(b.power)],
    ['prior', prior(a.prior), prior(b.prior)],
    ['minimum sample', String(before.minimumSample), String(after.minimumSample)],
  ];
  return pairs.filter(([, from, to]) => from !== to).map(([name, from, to]) => `${name} ${from} → ${to}`);
}
