/// <reference lib="dom" />
// DOM types for the code that page.evaluate runs inside Chromium.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../setup/chromium';

/** Screenshots of every console page, kept for people to look at (git-ignored). */
export const CONSOLE_ARTIFACTS = join(__dirname, '..', '..', 'artifacts', 'console');

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core in the page (injected through DevTools, so the page's CSP stays as served) and returns serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
    }
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Checks a page with axe and keeps a full-page screenshot named `name`. */
export async function checkPage(page: Page, name: string): Promise<void> {
  mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(CONSOLE_ARTIFACTS, `${name}.png`), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
}

/** One Chromium for a test file, with a fresh context (no cookies) per call of `context()`; page errors are collected. */
export function useConsoleBrowser(): { context(): Promise<BrowserContext>; errors: string[] } {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
  });
  return {
    errors,
    context: async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      context.on('page', (page) => {
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      });
      contexts.push(context);
      return context;
    },
  };
}

/** Signs in through the sign-in form with `apiKey`, starting from `path` (which redirects there). */
export async function signIn(page: Page, baseUrl: string, apiKey: string, path = '/console'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('Admin API key').fill(apiKey);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/console/sign-in')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}
