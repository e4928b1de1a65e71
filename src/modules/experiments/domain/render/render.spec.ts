import { buildExperimentReport } from '../report/build-report';
import { pushExperiment, simulateReportInput } from '../testing/report.fixture';
import { renderCsv } from './csv';
import { renderHtml } from './html';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';

describe('report renderers', () => {
  const report = buildExperimentReport(simulateReportInput());
  const verdict = report.metrics[0].comparisons[0].verdict.text;

  it('Markdown: verdicts, arms, every metric section, notes and settings', () => {
    const md = renderMarkdown(report);
    expect(md).toContain(`- ${verdict}`);
    expect(md).toMatch(/^Sample ratio OK: expected 45\.0% \/ 45\.0% \/ 10\.0%/m);
    expect(md).toMatch(/^\| Interest \| control \| 45\.0% \| \d+\.\d% \| [\d,]+ \| [\d,]+ \| \d+\.\d% \|$/m);
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
    expect(treatment.endsWith(`,win,"${verdict}"`)).toBe(true);
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
