/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// DOM types for the code that page.evaluate runs inside Chromium.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Browser, Page } from 'playwright-core';
import { buildExperimentReport } from '../../../src/modules/experiments/domain/report/build-report';
import { ExperimentReport } from '../../../src/modules/experiments/domain/report/report-model';
import { renderHtml } from '../../../src/modules/experiments/domain/render/html';
import { simulateReportInput } from '../../../src/modules/experiments/domain/testing/report.fixture';
import { launchChromium } from '../../setup/chromium';

/** Screenshots are kept for people to look at (git-ignored). */
const ARTIFACTS = join(__dirname, '..', '..', 'artifacts', 'experiments');

interface Loaded {
  page: Page;
  requests: string[];
  errors: string[];
}

describe('HTML experiment report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  const healthy = buildExperimentReport(simulateReportInput());
  const broken = buildExperimentReport(simulateReportInput({ lostTreatmentShare: 0.1 }));

  beforeAll(async () => {
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'jc-report-'));
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(report: ExperimentReport, name: string): Promise<Loaded> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderHtml(report));
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, requests, errors };
  }

  it('loads with no request beyond its own file, shows the verdicts and charts, and is screenshotted', async () => {
    const { page, requests, errors } = await open(healthy, 'report');
    expect(requests).toEqual([expect.stringMatching(/^file:\/\/.*report\.html$/)]);
    expect(errors).toEqual([]);
    const verdict = healthy.metrics[0].comparisons[0].verdict.text;
    await expect(page.locator('.verdicts li').first().textContent()).resolves.toContain(verdict);
    expect(await page.locator('[role="status"]').first().textContent()).toMatch(/^Sample ratio OK/);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    // The lift overview and one cumulative chart per non-holdout comparison, each with an accessible name.
    const charts = healthy.metrics.reduce((n, m) => n + m.comparisons.length, 0);
    expect(await page.getByRole('img').count()).toBe(1 + charts);
    await expect(page.getByRole('img', { name: /Relative lift against the control/ }).isVisible()).resolves.toBe(true);
    await expect(
      page.getByRole('img', { name: /Cumulative lift of click rate, Journey LLM vs Interest/ }).isVisible(),
    ).resolves.toBe(true);
    const shot = join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    await page.close();
  });

  it('raises the SRM banner as an alert', async () => {
    const { page } = await open(broken, 'report-srm');
    const alert = page.getByRole('alert');
    await expect(alert.textContent()).resolves.toMatch(
      /^Sample ratio mismatch\. expected 45\.0% \/ 45\.0% \/ 10\.0%, observed/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'report-srm.png'), fullPage: true });
    await page.close();
  });

  it('is accessible: language, named charts, captioned tables, and readable contrast', async () => {
    const { page } = await open(healthy, 'report-a11y');
    const audit = await page.evaluate(() => {
      const luminance = (rgb: number[]) => {
        const [r, g, b] = rgb.map((v) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const parse = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
      const background = (el: Element | null): number[] => {
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const failures: string[] = [];
      const texts = [...document.querySelectorAll('body *')].filter((el) =>
        [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== ''),
      );
      for (const el of texts) {
        const inSvg = el instanceof SVGElement;
        const rgb = parse(inSvg ? getComputedStyle(el).fill : getComputedStyle(el).color).slice(0, 3);
        // Charts draw on their own white rectangle.
        const bg = inSvg ? [255, 255, 255] : background(el);
        if (rgb.length !== 3) failures.push(`${el.tagName} has no readable colour`);
        const [hi, lo] = [luminance(rgb), luminance(bg)].sort((a, b) => b - a);
        const ratio = (hi + 0.05) / (lo + 0.05);
        if (ratio < 4.5 && !['title', 'desc'].includes(el.tagName)) {
          failures.push(`${el.tagName} ${ratio.toFixed(2)} "${el.textContent!.slice(0, 40)}"`);
        }
      }
      return {
        lang: document.documentElement.lang,
        title: document.title,
        svgs: [...document.querySelectorAll('svg')].map((s) => ({
          role: s.getAttribute('role'),
          title: s.querySelector('title')?.textContent ?? '',
          desc: s.querySelector('desc')?.textContent ?? '',
        })),
        uncaptioned: [...document.querySelectorAll('table')].filter((t) => !t.caption?.textContent?.trim()).length,
        failures,
        checked: texts.length,
      };
    });
    expect(audit.lang).toBe('en');
    expect(audit.title).toBe(`Experiment report: ${healthy.experiment.name}`);
    expect(audit.svgs.length).toBeGreaterThan(1);
    for (const svg of audit.svgs) {
      expect(svg.role).toBe('img');
      expect(svg.title.length).toBeGreaterThan(10);
      expect(svg.desc.length).toBeGreaterThan(10);
    }
    expect(audit.uncaptioned).toBe(0);
    expect(audit.checked).toBeGreaterThan(50);
    expect(audit.failures).toEqual([]);
    await page.close();
  });
});
