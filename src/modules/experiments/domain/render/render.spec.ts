import { parseCsv } from '../../../../lib/csv/csv';
import { buildExperimentReport } from '../report/build-report';
import { formatDifference } from '../report/format';
import { ExperimentReport } from '../report/report-model';
import {
  clickCohortsInput,
  conversionsInput,
  pushExperiment,
  simulateReportInput,
  variantAddedInSecondWeek,
} from '../testing/report.fixture';
import { renderCsv } from './csv';
import { renderHtml } from './html';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';

/**
 * Unsubscribes as a guardrail, 2,500 users per arm: `control` against `treated`. 73 against 96 is +0.92 pp,
 * SE = √(0.0292 · 0.9708 + 0.0384 · 0.9616) / 50 = 0.00510971, z = 1.80049: two-sided p = 0.0718, one-sided
 * p = 1 − Φ(1.80049) = 0.035891. The lift +31.5% has Fieller's lower bound at 1.644854, +2.4%.
 */
const unsubscribeGuardrail = (control: number, treated: number) =>
  buildExperimentReport({
    definition: pushExperiment({
      holdoutShare: 0,
      minimumSample: 1000,
      metrics: { primary: 'click-rate', secondary: [], guardrails: ['unsubscribe-rate'] },
    }),
    asOf: '2026-03-10T00:00:00Z',
    assigned: ['interest', 'journey-llm'].map((arm) => ({ arm, day: '2026-03-02', count: 2500 })),
    delivered: [],
    metrics: (
      [
        ['interest', control],
        ['journey-llm', treated],
      ] as const
    ).flatMap(([arm, sum]) => [
      { metric: 'unsubscribe-rate' as const, arm, day: '2026-03-02', n: 2500, sum, sumSquares: sum },
      { metric: 'click-rate' as const, arm, day: '2026-03-02', n: 2500, sum: 250, sumSquares: 250 },
    ]),
  });

describe('a guardrail tested one-sided in its harmful direction', () => {
  const harm = unsubscribeGuardrail(73, 96);
  const guardrail = harm.metrics.find((m) => m.role === 'guardrail')!.comparisons[0];
  const text = 'Guardrail breached: Journey LLM is worse than Interest on unsubscribe rate: +31.5%, at least +2.4%';

  it('breaches at z = 1.80 (p = 0.036 one-sided), which two-sided read as no significant difference', () => {
    expect(guardrail.pValue).toBeCloseTo(0.035891, 5);
    expect(guardrail.oneSided).toBe('greater');
    expect(guardrail.verdict).toEqual({ status: 'loss', text });
    expect(guardrail.absolute).toMatchObject({ lower: expect.closeTo(0.0092 - 1.644854 * 0.00510971, 7), upper: null });
    expect(guardrail.relative).toMatchObject({ lower: expect.closeTo(0.024191, 5), upper: null });
    expect(harm.headline).toContain(text);
    // The primary metric stays two-sided.
    expect(harm.metrics[0].comparisons[0].oneSided).toBeNull();
  });

  it('never breaches in the improving direction: 96 against 73 has p = 0.964 and no verdict either way', () => {
    const better = unsubscribeGuardrail(96, 73).metrics.find((m) => m.role === 'guardrail')!.comparisons[0];
    expect(better.pValue).toBeCloseTo(1 - 0.035891, 5);
    // −24.0%, Fieller's lower bound at 1.644854 is −41.3%; the upper end is open.
    expect(better.verdict).toEqual({
      status: 'inconclusive',
      text: 'No significant difference between Journey LLM and Interest on unsubscribe rate: -24.0%, at least -41.3%',
    });
    // Far past any two-sided level, still no breach and no win: 200 against 73.
    const fewer = unsubscribeGuardrail(200, 73).metrics.find((m) => m.role === 'guardrail')!.comparisons[0];
    expect(fewer.pValue).toBeGreaterThan(0.99);
    expect(fewer.verdict.status).toBe('inconclusive');
  });

  it('renders the one bound in Markdown, HTML, CSV and JSON, the open end said as open', () => {
    expect(renderMarkdown(harm)).toContain(text);
    expect(renderMarkdown(harm)).toContain('two-proportion z-test, one-sided: a rise only');
    const html = renderHtml(harm);
    expect(html).toContain(text);
    // The lift bar runs from +2.4% to the chart's right edge, where an arrow marks the open end.
    expect(html).toMatch(/<polygon class="open-end" points="/);
    expect(html).toContain('(one-sided: a lower bound, the upper end open)');
    const row = csvRecords(renderCsv(harm)).find((r) => r.metric === 'unsubscribe-rate' && r.arm === 'journey-llm')!;
    expect(Number(row.difference_lower)).toBeCloseTo(0.0092 - 1.644854 * 0.00510971, 7);
    expect(row.difference_upper).toBe('');
    expect(row.lift_upper).toBe('');
    expect(Number(row.p_value)).toBeCloseTo(0.035891, 5);
    expect(row.interval_note).toBe('one-sided: a lower bound, the upper end open');
    const json = JSON.parse(renderJson(harm)) as ExperimentReport;
    const parsed = json.metrics.find((m) => m.role === 'guardrail')!.comparisons[0];
    expect(parsed.oneSided).toBe('greater');
    expect(parsed.absolute!.upper).toBeNull();
    expect(parsed.relative!.upper).toBeNull();
    expect(parsed.timeline.at(-1)).toMatchObject({ lower: expect.closeTo(0.024191, 5), upper: null });
  });
});

describe('report renderers', () => {
  const report = buildExperimentReport(simulateReportInput());
  const verdict = report.metrics[0].comparisons[0].verdict.text;

  it('Markdown: verdicts, arms, every metric section, notes and settings', () => {
    const md = renderMarkdown(report);
    expect(md).toContain(`- ${verdict}`);
    expect(md).toMatch(/^Sample ratio OK: expected 45\.0% \/ 45\.0% \/ 10\.0%/m);
    expect(md).toMatch(
      /^\| Interest \| control \| 45\.0% \| \d+\.\d% \| [\d,]+ \| \d+\.\d% \| [\d,]+ \| \d+\.\d% \|$/m,
    );
    for (const title of [
      '## Primary metric',
      '## Secondary metrics',
      '## Guardrails',
      '## Sending vs holdout',
      '## Notes',
      '## Settings',
    ]) {
      expect(md).toContain(title);
    }
    expect(md).toContain('### Cumulative lift over time: click rate, Journey LLM vs Interest');
    expect(md).toContain('Welch t-test (df');
  });

  it('Markdown and HTML: the period in days, one day in the singular', () => {
    const days = report.period!.days;
    expect(days).toBeGreaterThan(1);
    expect(renderMarkdown(report)).toContain(`(${days} days), read at`);
    const firstDay = { ...report, period: { ...report.period!, lastDay: report.period!.firstDay, days: 1 } };
    expect(renderMarkdown(firstDay)).toContain(
      `Data ${firstDay.period.firstDay} to ${firstDay.period.firstDay} (1 day), read at`,
    );
    expect(renderHtml(firstDay)).toContain('(1 day)');
    expect(renderHtml(firstDay)).not.toContain('(1 days)');
  });

  it('Markdown: a warning line when the split is broken', () => {
    const broken = renderMarkdown(buildExperimentReport(simulateReportInput({ lostTreatmentShare: 0.1 })));
    expect(broken).toMatch(/^> \*\*WARNING: Sample ratio mismatch: expected/m);
  });

  it('Markdown and HTML: a breached guardrail is stated under the verdict, next to the primary metric', () => {
    const harmful = buildExperimentReport(simulateReportInput({ unsubscribeFactor: 4, usersPerDay: 2000 }));
    const breach = harmful.metrics.find((m) => m.role === 'guardrail')!.comparisons[0].verdict;
    expect(breach.text).toMatch(/^Guardrail breached: /);
    const md = renderMarkdown(harmful);
    const verdictSection = md.slice(md.indexOf('## Verdict'), md.indexOf('## Arms'));
    expect(verdictSection).toContain(`- ${breach.text}`);
    const html = renderHtml(harmful);
    const list = html.slice(
      html.indexOf('<ul class="verdicts">'),
      html.indexOf('</ul>', html.indexOf('<ul class="verdicts">')),
    );
    expect(list).toContain('Significant loss</span>Guardrail breached: ');
  });

  it('Markdown: names the exact tests a small experiment is read with', () => {
    // 200 users with a 1% holdout expect 2 held out; a 0.4% unsubscribe rate gives a few events per arm.
    const small = buildExperimentReport(
      simulateReportInput({ definition: pushExperiment({ holdoutShare: 0.01 }), usersPerDay: 100, days: 2 }),
    );
    expect(small.srm.test).toBe('exact-multinomial');
    const md = renderMarkdown(small);
    expect(md).toMatch(/^Sample ratio OK: expected 49\.5% \/ 49\.5% \/ 1\.0%, .*\(exact multinomial test\)\.$/m);
    expect(md).toContain("(Fisher's exact test (few events))");
    expect(renderMarkdown(report)).toMatch(/^Sample ratio OK: .*\(χ² test\)\.$/m);
  });

  it('CSV: one row per metric and arm, numbers at full precision, verdicts quoted', () => {
    const lines = renderCsv(report).trimEnd().split('\n');
    const header = lines[0].split(',');
    expect(header.slice(0, 4)).toEqual(['metric', 'metric_role', 'arm', 'arm_role']);
    const rows =
      report.metrics.reduce((n, m) => n + m.arms.length, 0) + report.holdout.reduce((n, m) => n + m.arms.length, 0);
    expect(lines).toHaveLength(1 + rows);
    const treatment = lines.find((l) => l.startsWith('click-rate,primary,journey-llm,'))!;
    const c = report.metrics[0].comparisons[0];
    expect(treatment).toContain(`,${c.relative!.estimate},${c.relative!.lower},${c.relative!.upper},`);
    expect(treatment).toContain(`,win,"${verdict}",`);
  });

  it('CSV: guards text cells against spreadsheet formulas', () => {
    const hostile = buildExperimentReport(
      simulateReportInput({
        definition: pushExperiment({
          variants: [
            { key: 'interest', name: 'Interest' },
            { key: 'journey-llm', name: '=HYPERLINK("http://x")' },
          ],
        }),
      }),
    );
    const csv = renderCsv(hostile);
    expect(csv).toContain(`,win,"'=HYPERLINK(""http://x"") beats Interest on click rate: +`);
    expect(csv).not.toMatch(/,"?=HYPERLINK/);
  });

  it('JSON: the report model, parseable', () => {
    expect(JSON.parse(renderJson(report))).toEqual(report);
  });

  it('HTML: escapes every name and loads nothing from outside', () => {
    const hostile = buildExperimentReport(
      simulateReportInput({
        definition: pushExperiment({
          name: '<script>alert(1)</script>',
          variants: [{ key: 'interest', name: '<img src=x>' }, { key: 'journey-llm' }],
        }),
        days: 2,
      }),
    );
    const html = renderHtml(hostile);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed|audio|video)\b|@import|url\(|href="http/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });
});

/** A number as displayed ("+1.00 pp", "8.00%", "0.0453", "+1.23e-5") and half a unit of its last digit. */
function displayed(text: string): { value: number; halfUnit: number } {
  const m = /([+-]?)(\d[\d,]*)(?:\.(\d+))?(?:e([+-]\d+))?/.exec(text);
  if (!m) throw new Error(`no number in "${text}"`);
  const exponent = Number(m[4] ?? 0);
  const value = Number(`${m[1]}${m[2].replace(/,/g, '')}.${m[3] ?? ''}e${exponent}`);
  return { value, halfUnit: 10 ** (exponent - (m[3]?.length ?? 0)) / 2 };
}

/** The metric tables' rows of Markdown or HTML, as cells by header, with the metric each row is of. */
function tableRows(text: string, format: 'md' | 'html'): Array<Record<string, string>> {
  const tables =
    format === 'md'
      ? text.split(/\n\n/).filter((block) => block.startsWith('| Arm | Users |'))
      : [...text.matchAll(/<table>.*?<\/table>/g)].map((m) => m[0]).filter((t) => t.includes('>Value (pooled)<'));
  return tables.flatMap((table) => {
    const rows =
      format === 'md'
        ? table
            .split('\n')
            .filter((line, i) => i !== 1)
            .map((line) => line.slice(2, -2).split(' | '))
        : [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((r) =>
            [...r[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1].replace(/&gt;/g, '>')),
          );
    const [header, ...body] = rows;
    return body.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
  });
}

describe('report renderers: values and differences', () => {
  const reports: Array<[string, ExperimentReport]> = [
    ['one split', buildExperimentReport(simulateReportInput())],
    ['a variant added in the second week', buildExperimentReport(variantAddedInSecondWeek())],
  ];

  it.each(reports)('every format shows each difference next to the two values it is of: %s', (_name, report) => {
    const comparisons = [...report.metrics, ...report.holdout].flatMap((m) => m.comparisons);
    expect(comparisons.length).toBeGreaterThan(1);

    const json = JSON.parse(renderJson(report)) as ExperimentReport;
    for (const c of [...json.metrics, ...json.holdout].flatMap((m) => m.comparisons)) {
      expect(c.absolute!.estimate).toBeCloseTo(c.comparedValues!.treatment - c.comparedValues!.control, 12);
    }

    const csv = csvRecords(renderCsv(report)).filter((row) => row.arm_role === 'treatment');
    expect(csv).toHaveLength(comparisons.length);
    for (const row of csv) {
      const difference = Number(row.compared_value) - Number(row.compared_control_value);
      expect(Number(row.difference)).toBeCloseTo(difference, 12);
    }

    for (const format of ['md', 'html'] as const) {
      const rows = tableRows(format === 'md' ? renderMarkdown(report) : renderHtml(report), format);
      const treated = rows.filter((r) => r['Lift [interval]'] !== 'baseline');
      expect(treated).toHaveLength(comparisons.length);
      for (const row of treated) {
        const [control, treatment] = row['Compared (control → arm)'].split(' → ').map(displayed);
        const difference = displayed(row.Difference);
        const tolerance = control.halfUnit + treatment.halfUnit + difference.halfUnit;
        expect(Math.abs(difference.value - (treatment.value - control.value))).toBeLessThanOrEqual(
          tolerance * 1.000001,
        );
      }
    }
  });

  it('a rate difference that rounds to 0 is shown without a sign, as its two equal values are', () => {
    expect([-0.00004, -1e-17, 0, 1e-17].map((d) => formatDifference(d, 'rate'))).toEqual(Array(4).fill('0.00 pp'));
    expect([formatDifference(-0.0001, 'rate'), formatDifference(0.01, 'rate')]).toEqual(['-0.01 pp', '+1.00 pp']);
  });

  it('Markdown, HTML and CSV: a variant added in the second week shows the values it was compared on', () => {
    const report = buildExperimentReport(variantAddedInSecondWeek());
    // Pooled, journey-template's 9.00% is below interest's 10.67%; compared with the second week's interest users
    // (8.00%), it is +1.00 point, +12.5%.
    const md = renderMarkdown(report);
    expect(md).toMatch(
      /^\| journey-template \| 5,000 \| 450 \| 9\.00% \| 8\.00% → 9\.00% \| \+1\.00 pp \| \+12\.5% \[/m,
    );
    expect(md).toMatch(/^\| interest \| 15,000 \| 1,600 \| 10\.67% \| {2}\| {2}\| baseline \|/m);
    expect(renderHtml(report)).toContain(
      '<th scope="row">journey-template</th><td>5,000</td><td>450</td><td>9.00%</td><td>8.00% → 9.00%</td><td>+1.00 pp</td><td>+12.5% [',
    );
    const row = csvRecords(renderCsv(report)).find((r) => r.metric === 'click-rate' && r.arm === 'journey-template')!;
    const cell = (column: string) => Number(row[column]);
    expect([cell('value'), cell('compared_control_value'), cell('compared_value'), cell('difference')]).toEqual(
      [0.09, 0.08, 0.09, 0.01].map((x) => expect.closeTo(x, 12)),
    );
  });
});

/** The CSV's rows as records by column name, quoted cells (verdict texts with commas) read as one. */
function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text).map((r) => r.cells);
  return rows.map((cells) => Object.fromEntries(header.map((column, i) => [column, cells[i]])));
}

describe('report renderers: an interval the correction leaves unbounded', () => {
  // Three treatments against one control, each 26 of 1,000 clicking against the control's 30 of 1,000: z = −0.542,
  // p = 0.588, and Holm over 3 comparisons takes every adjusted p-value to min(1, 3 × 0.588) = 1, where the interval
  // has no bounds. The lift is (2.6% − 3.0%) / 3.0% = −13.3%.
  const keys = ['interest', 'journey-llm', 'journey-template', 'journey-short'];
  const report = buildExperimentReport(
    clickCohortsInput(
      keys,
      keys.map((arm, i) => ({ arm, day: '2026-03-02', n: 1_000, clicks: i === 0 ? 30 : 26 })),
      [{ from: '2026-03-02', weights: Object.fromEntries(keys.map((k) => [k, 1])), holdoutShare: 0 }],
    ),
  );
  const shown = '-13.3% (interval unbounded after the Holm correction for 3 comparisons)';

  it('the model says why the interval is unbounded', () => {
    for (const c of report.metrics[0].comparisons) {
      expect(c.adjustedPValue).toBe(1);
      expect(c.relative).toMatchObject({ lower: null, upper: null });
      expect(c.unboundedInterval).toEqual({ correction: 'holm', comparisons: 3 });
      expect(c.verdict.text).toBe(
        `No significant difference between ${c.treatment} and interest on click rate: ${shown}`,
      );
    }
  });

  it('Markdown and HTML say it in words, with no infinite bound', () => {
    for (const format of ['md', 'html'] as const) {
      const text = format === 'md' ? renderMarkdown(report) : renderHtml(report);
      expect(text).not.toMatch(/inf\b/);
      const rows = tableRows(text, format).filter((r) => r['Lift [interval]'] !== 'baseline');
      expect(rows.map((r) => r['Lift [interval]'])).toEqual([shown, shown, shown]);
    }
  });

  it('CSV leaves the bounds empty and says why', () => {
    const rows = csvRecords(renderCsv(report)).filter((r) => r.arm_role === 'treatment');
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect([row.lift, row.lift_lower, row.lift_upper]).toEqual([expect.stringMatching(/^-0\.133/), '', '']);
      expect([row.difference_lower, row.difference_upper]).toEqual(['', '']);
      expect(row.interval_note).toBe('interval unbounded after the Holm correction for 3 comparisons');
    }
  });

  it('JSON: the bounds are null, never Infinity, and the reason is given', () => {
    const text = renderJson(report);
    expect(text).not.toMatch(/Infinity|NaN/);
    const c = (JSON.parse(text) as ExperimentReport).metrics[0].comparisons[0];
    expect([c.relative!.lower, c.relative!.upper, c.absolute!.lower, c.absolute!.upper]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(c.unboundedInterval).toEqual({ correction: 'holm', comparisons: 3 });
  });
});

describe('report renderers: the arms table of a variant added mid-experiment', () => {
  // The SRM check leaves out 2026-03-09, the day of the change whose users' splits were not recorded: it checks
  // 10,000 / 10,000 / 0 against 50% / 50% / 0%. Over every day, the arms hold 15,000 / 15,000 / 5,000 of 35,000.
  const report = buildExperimentReport(variantAddedInSecondWeek());

  it("the model keeps the SRM check's shares apart from the shares of all assigned users", () => {
    expect(report.srm.leftOutDays).toEqual(['2026-03-09']);
    expect(report.arms.map((a) => [a.expectedShare, a.observedShare, a.assigned, a.assignedShare])).toEqual([
      [0.5, 0.5, 15_000, expect.closeTo(15 / 35, 12)],
      [0.5, 0.5, 15_000, expect.closeTo(15 / 35, 12)],
      [0, 0, 5_000, expect.closeTo(5 / 35, 12)],
    ]);
  });

  it('Markdown and HTML label the SRM shares and say which days the check covered', () => {
    const note =
      "Expected and observed shares are the SRM check's, over the users assigned on every day but 2026-03-09 (20,000 of 35,000), the day of a change whose users' splits were not recorded: all 5,000 users of journey-template were assigned then. Share of assigned is over every day.";
    const md = renderMarkdown(report);
    expect(md).toContain(
      '| Arm | Role | Expected share (SRM check) | Observed share (SRM check) | Assigned | Share of assigned | Delivered | Delivery rate |',
    );
    expect(md).toMatch(/^\| journey-template \| treatment \| 0\.0% \| 0\.0% \| 5,000 \| 14\.3% \| 0 \| 0\.0% \|$/m);
    expect(md).toMatch(/^\| interest \| control \| 50\.0% \| 50\.0% \| 15,000 \| 42\.9% \| 0 \| 0\.0% \|$/m);
    expect(md).toContain(`| 0.0% |\n\n${note}\n`);
    const html = renderHtml(report);
    expect(html).toContain(
      '<th scope="row">journey-template</th><td>treatment</td><td>0.0%</td><td>0.0%</td><td>5,000</td><td>14.3%</td>',
    );
    expect(html).toContain(`</table>\n<p>${note.replace(/'/g, '&#39;')}</p>`);
  });

  it('says nothing of left-out days when the check covered every day', () => {
    const md = renderMarkdown(buildExperimentReport(simulateReportInput()));
    expect(md).not.toContain("Expected and observed shares are the SRM check's");
    expect(md).toContain('| Expected share (SRM check) | Observed share (SRM check) | Assigned | Share of assigned |');
  });
});

describe('report renderers: a mean recomputed from the CSV', () => {
  // 1,000 users per arm: 50 conversions (Σy² = 70) against 80 (Σy² = 120). Variances (70 − 50²/1000)/999 = 0.0675676
  // and (120 − 80²/1000)/999 = 0.1137137, standard error √((0.0675676 + 0.1137137)/1000) = 0.0134641, so Welch's
  // t = 0.03/0.0134641 = 2.22815 on 1,876.4 degrees of freedom.
  const report = buildExperimentReport(
    conversionsInput({
      interest: { n: 1_000, sum: 50, sumSquares: 70 },
      'journey-llm': { n: 1_000, sum: 80, sumSquares: 120 },
    }),
  );

  it("CSV: each arm's Σy² is there, so Welch's t is recomputed from the sheet alone", () => {
    const rows = csvRecords(renderCsv(report));
    const arm = (key: string) => {
      const row = rows.find((r) => r.arm === key)!;
      const [n, sum, sumSquares] = [row.users, row.events, row.sum_squares].map(Number);
      return { n, mean: sum / n, variance: (sumSquares - (sum * sum) / n) / (n - 1) };
    };
    expect(rows.map((r) => r.sum_squares)).toEqual(['70', '120']);
    const [a, b] = [arm('interest'), arm('journey-llm')];
    const t = (b.mean - a.mean) / Math.sqrt(a.variance / a.n + b.variance / b.n);
    expect(t).toBeCloseTo(2.22815, 5);
    expect(report.metrics[0].comparisons[0].test!.statistic).toBeCloseTo(t, 12);
    expect(report.metrics[0].arms.map((x) => x.sumSquares)).toEqual([70, 120]);
  });
});

describe('report renderers at the first looks of a sequential test', () => {
  const day = '2026-03-02';
  const report = buildExperimentReport({
    definition: pushExperiment({
      holdoutShare: 0,
      minimumSample: 2,
      analysis: { sequential: { tuning: 5000 }, minimumEvents: 1 },
      metrics: { primary: 'click-rate', secondary: [], guardrails: [] },
    }),
    asOf: '2026-03-03T00:00:00Z',
    assigned: ['interest', 'journey-llm'].map((arm) => ({ arm, day, count: 2 })),
    delivered: [],
    metrics: [
      { metric: 'click-rate', arm: 'interest', day, n: 2, sum: 1, sumSquares: 1 },
      { metric: 'click-rate', arm: 'journey-llm', day, n: 2, sum: 0, sumSquares: 0 },
    ],
  });

  it('shows a rate difference within ±100 points in every format', () => {
    const comparison = report.metrics[0].comparisons[0];
    expect(comparison.absolute).toMatchObject({ lower: -1, upper: 1 });
    expect(comparison.timeline.at(-1)).toMatchObject({ lower: -1, upper: 1 });
    const shown = '-50.00 pp [-100.00 pp, +100.00 pp]';
    expect(comparison.verdict.text).toContain(shown);
    expect(renderMarkdown(report)).toContain(shown);
    expect(renderHtml(report)).toContain(shown);
    expect(renderMarkdown(report)).not.toMatch(/1,\d{3}\.\d+ pp/);
    const [header, ...rows] = parseCsv(renderCsv(report)).map((r) => r.cells);
    const row = rows.find((r) => r[0] === 'click-rate' && r[2] === 'journey-llm')!;
    const cell = (name: string) => Number(row[header.indexOf(name)]);
    expect([cell('difference_lower'), cell('difference_upper')]).toEqual([-1, 1]);
    const json = JSON.parse(renderJson(report)) as ExperimentReport;
    expect(json.metrics[0].comparisons[0].absolute).toMatchObject({ lower: -1, upper: 1 });
  });
});
