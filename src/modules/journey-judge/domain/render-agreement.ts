import { AgreementReport, AgreementVerdict } from './agreement-report';

const VERDICTS: Record<AgreementVerdict, string> = {
  trust: 'Trust the judge: it agrees with people about as well as people agree with each other.',
  recalibrate:
    'Recalibrate: the judge orders journeys as people do, but on a shifted or squeezed scale. Read its grades through the calibration table, or move JUDGE_ALERT_MIN_MEAN_GRADE.',
  'use-with-care': "Use with care: moderate agreement. Follow the judge's trend between runs, not its level.",
  'do-not-trust': 'Do not trust the judge yet: change the judge model (JUDGE_MODEL) or the prompt, and grade again.',
  'not-enough-labels': 'Not enough graded journeys for a verdict: grade at least 30 (100 or more for tight intervals).',
};

const value = (n: number | null, digits = 2) => (n === null ? 'n/a' : n.toFixed(digits));
const bounds = (b: [number, number] | null) => (b ? ` [${b[0].toFixed(2)}, ${b[1].toFixed(2)}]` : '');

function statLines(r: AgreementReport): string[] {
  return [
    `Spearman correlation ${value(r.spearman)}${bounds(r.intervals.spearman)}`,
    `Quadratic-weighted Cohen's kappa ${value(r.kappa)}${bounds(r.intervals.kappa)}`,
    `Exact agreement ${value(r.exact)}${bounds(r.intervals.exact)}`,
    `Within one grade ${value(r.withinOne)}${bounds(r.intervals.withinOne)}`,
    `Mean grade: people ${r.humanMean.toFixed(2)}, judge ${r.judgeMean.toFixed(2)} (bias ${r.bias >= 0 ? '+' : ''}${r.bias.toFixed(2)})`,
  ];
}

function confusionLines(r: AgreementReport): string[] {
  return [
    'human \\ judge    1    2    3    4    5',
    ...r.confusion.map((row, i) => `            ${i + 1} ${row.map((n) => String(n).padStart(4)).join(' ')}`),
  ];
}

/** The agreement for a terminal; `unmatched` counts labels whose journey the judge did not grade. */
export function renderAgreementText(r: AgreementReport, unmatched: number): string {
  return [
    `Agreement between the judge and people on ${r.pairs} journeys of ${r.users} users (intervals: 95%, users resampled):`,
    ...statLines(r).map((line) => `  ${line}`),
    '',
    ...confusionLines(r),
    '',
    'Calibration (mean human grade per judge grade): ' +
      r.calibration.map((c) => `${c.judge} → ${c.humanMean.toFixed(2)} (${c.pairs})`).join(', '),
    ...(unmatched > 0 ? [`${unmatched} labels matched no journey the judge graded and were left out.`] : []),
    '',
    VERDICTS[r.verdict],
  ].join('\n');
}

/** The agreement as Markdown. */
export function renderAgreementMarkdown(r: AgreementReport, unmatched: number): string {
  return [
    '# Judge agreement with human grades',
    '',
    `${r.pairs} journeys of ${r.users} users; 95% intervals resample users.`,
    '',
    ...statLines(r).map((line) => `- ${line}`),
    '',
    '| human \\ judge | 1 | 2 | 3 | 4 | 5 |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.confusion.map((row, i) => `| ${i + 1} | ${row.join(' | ')} |`),
    '',
    ...(unmatched > 0 ? [`${unmatched} labels matched no journey the judge graded and were left out.`, ''] : []),
    `**${VERDICTS[r.verdict]}**`,
  ].join('\n');
}
