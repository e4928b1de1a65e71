import { ExperimentReport, MetricReport } from '../report/report-model';
import { ROLE_TITLES, periodText, powerSentence, settingsLines, srmSentence, testName } from './sentences';
import { TextTable, armName, armsNote, armsTable, metricTable, timelineTable } from './tables';

/** Markdown table from a header and rows (pipes in cells escaped). */
function table({ header, rows }: TextTable): string[] {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
}

function metricSection(report: ExperimentReport, metric: MetricReport): string[] {
  const out = [`### ${metric.label}`, '', ...table(metricTable(report, metric)), ''];
  for (const c of metric.comparisons) {
    out.push(`**${c.verdict.text}** (${testName(c)})`, '');
    const power = powerSentence(c, metric);
    if (power) out.push(power, '');
  }
  return out;
}

function timeline(report: ExperimentReport): string[] {
  const primary = report.metrics.find((m) => m.role === 'primary');
  const c = primary?.comparisons[0];
  if (!primary || !c || c.timeline.length === 0) return [];
  const title = `${primary.label}, ${armName(report, c.treatment)} vs ${armName(report, c.control)}`;
  return [`### Cumulative lift over time: ${title}`, '', ...table(timelineTable(report, primary, c)), ''];
}

/** The report as Markdown: for the terminal, pull requests and chat. */
export function renderMarkdown(report: ExperimentReport): string {
  const e = report.experiment;
  const period = periodText(report);
  const out = [
    `# Experiment report: ${e.name}`,
    '',
    `\`${e.id}\`${e.campaignId ? `, campaign \`${e.campaignId}\`` : ''}. Data ${period}, read at ${report.asOf}.`,
    '',
    report.srm.status === 'warning' ? `> **WARNING: ${srmSentence(report)}**` : srmSentence(report),
    '',
    '## Verdict',
    '',
    ...report.headline.map((line) => `- ${line}`),
    '',
    '## Arms',
    '',
    ...table(armsTable(report)),
    '',
    ...[armsNote(report)].flatMap((note) => (note ? [note, ''] : [])),
  ];
  for (const role of ['primary', 'secondary', 'guardrail'] as const) {
    const metrics = report.metrics.filter((m) => m.role === role);
    if (metrics.length === 0) continue;
    out.push(`## ${ROLE_TITLES[role]}`, '', ...metrics.flatMap((m) => metricSection(report, m)));
    if (role === 'primary') out.push(...timeline(report));
  }
  if (report.holdout.length > 0) {
    out.push(`## ${ROLE_TITLES.holdout}`, '', ...report.holdout.flatMap((m) => metricSection(report, m)));
  }
  out.push(
    '## Notes',
    '',
    ...report.notes.map((n) => `- ${n}`),
    '',
    '## Settings',
    '',
    ...settingsLines(report).map((s) => `- ${s}`),
    '',
  );
  return out.join('\n');
}
