/// <reference lib="dom" />
// DOM types for the code that evaluate runs inside Chromium.
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext } from 'playwright-core';
import { RecipientPreferences } from '../../src/modules/tracking/notification-tracking';
import { launchChromium } from '../setup/chromium';
import { useTestApp } from './support/test-app';
import { LINKS_BASE, pathOf, sendTracked } from './support/tracking';

const SENT = new Date(Date.now() - 3_600_000);

describe('the unsubscribe page in headless Chromium, without JavaScript', () => {
  const app = useTestApp({ database: 'tracking_unsubscribe_page', env: { PUBLIC_BASE_URL: LINKS_BASE } });
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    browser = await launchChromium();
    await app.t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(app.t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => browser?.close());

  /** A context with scripts off, collecting console errors (a refused inline style shows up there). */
  async function context(locale: string): Promise<{ ctx: BrowserContext; errors: string[] }> {
    const ctx = await browser.newContext({ javaScriptEnabled: false, locale });
    const errors: string[] = [];
    ctx.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    return { ctx, errors };
  }

  it('leaves the category with the first button, then everything with the next page, by keyboard', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'browser-1', userId: 'ana' }, SENT);
    const { ctx, errors } = await context('en-GB');
    const page = await ctx.newPage();
    await page.goto(origin + pathOf(issued.unsubscribeUrl));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Unsubscribe from “digest”?');
    const style = await page.getByRole('button', { name: 'Unsubscribe from “digest”' }).evaluate((b) => {
      return getComputedStyle(b).backgroundColor;
    });
    expect(style).toBe('rgb(29, 78, 216)');

    await page.getByRole('button', { name: 'Unsubscribe from “digest”' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'You are unsubscribed from “digest”.',
    );
    const preferences = app.t.app.get(RecipientPreferences);
    expect(await preferences.isUnsubscribed('ana', 'digest')).toBe(true);
    expect(await preferences.isUnsubscribed('ana', 'tips')).toBe(false);

    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      'Unsubscribe from all messages',
    );
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'You are unsubscribed from all messages.',
    );
    expect(await preferences.isUnsubscribed('ana', 'tips')).toBe(true);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('speaks French to a French browser and leaves everything with the second button', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'browser-2', userId: 'ben' }, SENT);
    const { ctx, errors } = await context('fr-FR');
    const page = await ctx.newPage();
    await page.goto(origin + pathOf(issued.unsubscribeUrl));
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.getByRole('button', { name: 'Me désabonner de tous les messages' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Votre désabonnement de tous les messages est enregistré.',
    );
    expect(await app.t.app.get(RecipientPreferences).isUnsubscribed('ben', 'anything')).toBe(true);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
