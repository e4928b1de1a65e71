import { pickLocale } from './page-text';
import { PAGE_SECURITY_POLICY, renderUnsubscribePage } from './unsubscribe-page';

describe('renderUnsubscribePage', () => {
  it('asks before changing anything, offering the category or everything', () => {
    const { status, html } = renderUnsubscribePage({ state: 'confirm', category: 'weekly-digest' }, 'en');
    expect(status).toBe(200);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Unsubscribe from “weekly digest”?</h1>');
    expect(html).toContain('<form method="post"><input type="hidden" name="lang" value="en">');
    expect(html).toContain(
      '<button type="submit" name="scope" value="category">Unsubscribe from “weekly digest”</button>',
    );
    expect(html).toContain('name="scope" value="all" class="secondary">Unsubscribe from all messages</button>');
    expect(html).not.toMatch(/<script/i);
  });

  it('speaks French', () => {
    const { html } = renderUnsubscribePage({ state: 'unsubscribed', category: 'digest' }, 'fr');
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<h1>Votre désabonnement de « digest » est enregistré.</h1>');
    expect(html).toContain('Me désabonner de tous les messages');
  });

  it('answers a bad link with a 404 page and a bad form with a 400 that names the field', () => {
    expect(renderUnsubscribePage({ state: 'invalid' }, 'en')).toMatchObject({ status: 404 });
    expect(renderUnsubscribePage({ state: 'invalid' }, 'en').html).toContain('This link is not valid');
    const bad = renderUnsubscribePage({ state: 'bad-request', field: 'scope' }, 'en');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('The field “scope” is missing or invalid.');
    const foreign = renderUnsubscribePage({ state: 'bad-request', field: 'Call 555-0100' }, 'en');
    expect(foreign.html).toContain('The field “body” is missing or invalid.');
    expect(foreign.html).not.toContain('555-0100');
  });

  it.each([
    ['type', 415, 'It was sent in a format this page does not accept.'],
    ['size', 413, 'It was larger than this page accepts.'],
    ['damaged', 400, 'It arrived incomplete or damaged.'],
  ] as const)('answers a form it could not read (%s) with a %i page saying so', (problem, status, text) => {
    const page = renderUnsubscribePage({ state: 'unreadable', problem }, 'en');
    expect(page.status).toBe(status);
    expect(page.html).toContain('<h1>This form could not be read</h1>');
    expect(page.html).toContain(`${text} Nothing was changed. Please open the unsubscribe link in the message again.`);
    expect(renderUnsubscribePage({ state: 'unreadable', problem }, 'fr').html).toContain(
      'Ce formulaire n’a pas pu être lu',
    );
  });

  it('escapes a category once', () => {
    const { html } = renderUnsubscribePage({ state: 'confirm', category: 'a<b>&c' }, 'en');
    expect(html).toContain('Unsubscribe from “a&lt;b&gt;&amp;c”?');
    expect(html).not.toContain('&amp;amp;');
  });

  it('allows only its own inline style', () => {
    expect(PAGE_SECURITY_POLICY).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; form-action 'self'/,
    );
  });
});

describe('pickLocale', () => {
  it.each([
    ['fr', undefined, 'fr'],
    ['fr-CA', 'en', 'fr'],
    ['de', 'fr-FR,fr;q=0.9', 'fr'],
    [undefined, 'de-DE, fr;q=0.5, en;q=0.8', 'en'],
    [undefined, 'de, fr;q=0.3', 'fr'],
    [undefined, 'fr;q=0, en', 'en'],
    [undefined, undefined, 'en'],
  ])('lang %s with Accept-Language %s is %s', (requested, accept, locale) => {
    expect(pickLocale(requested, accept)).toBe(locale);
  });

  it.each([
    [undefined, 'en-US,en;q=0.9', 'fr-CA', 'fr'],
    ['en', 'fr', 'fr', 'en'],
    ['de', 'en', 'fr', 'fr'],
    [undefined, 'fr', 'de-DE', 'fr'],
    [undefined, undefined, 'zh-Hant', 'en'],
  ])('lang %s with Accept-Language %s for a message in %s is %s', (requested, accept, message, locale) => {
    expect(pickLocale(requested, accept, message)).toBe(locale);
  });
});
