import { ExperimentReport } from '../report/report-model';

/** The report as JSON (2-space indent); non-finite numbers become null so any JSON parser reads it. */
export function renderJson(report: ExperimentReport): string {
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}
