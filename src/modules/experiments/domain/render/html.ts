import { ExperimentReport, MetricComparison, MetricReport, VerdictStatus } from '../report/report-model';
import { oneSidedText } from '../report/format';
import { headlineComparisons } from '../report/families';
import { REPORT_CSS } from './html-style';
import { LiftRow, escapeXml as esc, liftIntervalChart, timelineChart } from './html-charts';
import { ROLE_TITLES, periodText, pText, powerSentence, settingsLines, srmSentence, testName } from './sentences';
import { TextTable, armName, armsNote, armsTable, metricTable, timelineTable } from './tables';

const BADGES: Record<VerdictStatus, string> = {
  win: 'Significant win',
  loss: 'Significant loss',
  inconclusive: 'No significant difference',
  'not-enough-data': 'Not enough data',
};

const badge = (status: VerdictStatus) => `<span class="badge badge-${status}">${BADGES[status]}</span>`;
const row = (cells: string[], header = false) =>
  `<tr>${cells.map((c, i) => (header || i === 0 ? `<th scope="${header ? 'col' : 'row'}">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`;
const table = (caption: string, { header, rows }: TextTable) =>
  `<table><caption>${esc(caption)}</caption><thead>${row(header.map(esc), true)}</thead><tbody>${rows.map((r) => row(r.map(esc))).join('')}</tbody></table>`;

/** A stable element id from parts. */
const idOf = (...parts: string[]) => parts.join('-').replace(/[^a-zA-Z0-9_-]/g, '_');

function comparisonBlock(report: ExperimentReport, metric: MetricReport, c: MetricComparison): string {
  const power = powerSentence(c, metric);
  const parts = [`<p class="verdict">${badge(c.verdict.status)}${esc(c.verdict.text)}</p>`];
  parts.push(`<p class="power">${esc([`${testName(c)}, ${pText(c)}.`, power].join(' '))}</p>`);
  if (metric.role !== 'holdout' && c.timeline.length > 0) {
    const id = idOf('timeline', metric.id, c.treatment);
    const title = `Cumulative ${c.timelineScale === 'relative' ? 'lift' : 'difference'} of ${metric.label}, ${armName(report, c.treatment)} vs ${armName(report, c.control)}, by assignment day`;
    parts.push(
      `<figure>${timelineChart(id, title, c.timeline, c.timelineScale, metric.kind, c.oneSided)}<figcaption>${esc(title)}; the band is the interval of each day's cumulative read-out${c.oneSided ? ` (${oneSidedText(c.oneSided)})` : ''}.</figcaption></figure>`,
      `<details><summary>Data behind the chart</summary>${table(title, timelineTable(report, metric, c))}</details>`,
    );
  }
  return parts.join('');
}

function metricSection(report: ExperimentReport, metric: MetricReport): string {
  const id = idOf('metric', metric.role, metric.id);
  const blocks = metric.comparisons.map((c) => comparisonBlock(report, metric, c)).join('');
  return `<section aria-labelledby="${id}"><h3 id="${id}">${esc(metric.label)}</h3>${table(`${metric.label} per arm`, metricTable(report, metric))}${blocks}</section>`;
}

function liftOverview(report: ExperimentReport): string {
  const rows: LiftRow[] = report.metrics.flatMap((m) =>
    m.comparisons
      .filter((c) => c.timelineScale === 'relative' && c.relative)
      .map((c) => ({
        label: `${m.label} · ${armName(report, c.treatment)}`,
        estimate: c.relative!.estimate,
        lower: c.relative!.lower,
        upper: c.relative!.upper,
        status: c.verdict.status,
      })),
  );
  if (rows.length === 0) return '';
  const description = report.metrics.flatMap((m) => m.comparisons.map((c) => c.verdict.text)).join(' ');
  const title = 'Relative lift against the control with its interval, per metric';
  return `<figure>${liftIntervalChart('lift-overview', title, description, rows)}<figcaption>${esc(title)}. Green: significant win; red: significant loss; grey: no significant difference; dashed: not enough data.</figcaption></figure>`;
}

/** The report as one self-contained HTML page: inline CSS and SVG, no script, no request to anywhere. */
export function renderHtml(report: ExperimentReport): string {
  const e = report.experiment;
  const period = periodText(report);
  const banner =
    report.srm.status === 'warning'
      ? `<section class="banner banner-warn" role="alert" aria-labelledby="srm-title"><strong id="srm-title">Sample ratio mismatch.</strong> ${esc(srmSentence(report).replace(/^Sample ratio mismatch: /, ''))}</section>`
      : `<p class="banner ${report.srm.status === 'ok' ? 'banner-ok' : 'banner-info'}" role="status">${esc(srmSentence(report))}</p>`;
  const note = armsNote(report);
  const arms = `${table(
    'Users per arm: every assigned user counts in its arm (intent to treat), delivered or not',
    armsTable(report),
  )}${note ? `\n<p>${esc(note)}</p>` : ''}`;
  const verdicts = headlineComparisons(report.metrics).map(
    (c) => `<li>${badge(c.verdict.status)}${esc(c.verdict.text)}</li>`,
  );
  const sections = (['primary', 'secondary', 'guardrail'] as const)
    .map((role) => {
      const metrics = report.metrics.filter((m) => m.role === role);
      return metrics.length
        ? `<h2>${ROLE_TITLES[role]}</h2>${metrics.map((m) => metricSection(report, m)).join('')}`
        : '';
    })
    .join('');
  const holdout = report.holdout.length
    ? `<h2>${ROLE_TITLES.holdout}</h2>${report.holdout.map((m) => metricSection(report, m)).join('')}`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(`Experiment report: ${e.name}`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header><h1>${esc(`Experiment report: ${e.name}`)}</h1>
<p class="meta"><code>${esc(e.id)}</code>${e.campaignId ? `, campaign <code>${esc(e.campaignId)}</code>` : ''}. Data ${esc(period)}, read at ${esc(report.asOf)}.</p></header>
${banner}
<h2>Verdict</h2>
<ul class="verdicts">${verdicts.join('')}</ul>
${liftOverview(report)}
<h2>Arms</h2>
${arms}
${sections}
${holdout}
<h2>Notes</h2>
<ul>${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
<footer><h2>Settings</h2><ul>${settingsLines(report)
    .map((s) => `<li>${esc(s)}</li>`)
    .join('')}</ul>
<p>Format ${esc(report.format)}. Made by Journeycast from sufficient statistics (users, Σy, Σy² per arm and day).</p></footer>
</main>
</body>
</html>
`;
}
