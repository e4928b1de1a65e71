import Handlebars from 'handlebars';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateError } from './domain/templates.errors';
import { TemplatesService } from './templates.service';
import {
  FIXTURES_DIR as FIXTURES,
  TEST_PUSH_LIMITS as LIMITS,
  removeTemplateTrees,
  templatesService,
  templateTree,
} from './testing/template-tree';
const NOW = new Date('2026-01-10T12:00:00Z');

const journey = (overrides: Record<string, unknown> = {}) => ({
  id: 'j1',
  name: 'Kitchen remodel',
  ideas: 3,
  keywords: ['backsplash', 'island', 'tiles', 'paint'],
  lastSeenAt: '2026-01-07T10:00:00Z',
  stage: 'ongoing',
  ...overrides,
});

const digest = (name = 'Kitchen remodel') => ({
  user: { firstName: 'Ana' },
  sentAt: '2026-01-10T12:00:00Z',
  journeys: [{ name, keywords: ['backsplash', 'island'], url: 'https://example.com/j?a=1&b=2' }],
});

describe(TemplatesService.name, () => {
  afterAll(removeTemplateTrees);

  const service = new TemplatesService({ dir: FIXTURES, pushLimits: LIMITS });
  /** The fixture push rendered in English for a journey with these fields. */
  const nudge = (fields: Record<string, unknown>) =>
    service.render('push/nudge', 'push', { journey: journey(fields) }, { locale: 'en', timeZone: 'UTC', now: NOW });

  describe('render', () => {
    it('renders every part of a push in the default locale', () => {
      const push = service.render(
        'push/nudge',
        'push',
        { journey: journey() },
        { locale: 'en-US', timeZone: 'UTC', now: NOW },
      );
      expect(push).toMatchObject({
        channel: 'push',
        title: 'Kitchen remodel: 3 new ideas',
        body: 'Pick up where you left off with backsplash, island, and tiles. Last visit 3 days ago.',
        deepLink: 'journeycast://journeys/j1?q=Kitchen%20remodel',
        data: { journey: 'Kitchen remodel', stage: 'ongoing' },
        truncated: [],
        links: [],
        template: { ref: 'push/nudge', locale: 'default' },
      });
      expect(push.template.hash).toMatch(/^[0-9a-f]{16}$/);
    });

    it('renders an email inside its layout with the links as placeholders', () => {
      const email = service.render('email/digest', 'email', digest(), {
        locale: 'en-US',
        timeZone: 'America/New_York',
      });
      expect(email.subject).toBe('Your week: 1 journey');
      expect(email.preheader).toBe('Ideas for Kitchen remodel');
      expect(email.html).toContain('<div style="display:none">Ideas for Kitchen remodel</div>');
      expect(email.html).toContain('<h1>Hi Ana,</h1>');
      expect(email.links.map(({ kind, url }) => ({ kind, url }))).toEqual([
        { kind: 'click', url: 'https://example.com/j?a=1&b=2' },
        { kind: 'unsubscribe', url: 'all' },
      ]);
      for (const link of email.links) expect(email.html).toContain(`href="${link.placeholder}"`);
    });

    it('refuses a template of the other channel, an unknown template and a bad locale or time zone', () => {
      const options = { locale: 'en', timeZone: 'UTC' };
      expect(() => service.render('push/nudge', 'email', {}, options)).toThrow(/is a push template, not email/);
      expect(() => service.render('push/missing', 'push', {}, options)).toThrow(TemplateError);
      expect(() => service.render('../etc', 'push', {}, options)).toThrow(/is not a template reference/);
      expect(() => service.render('push/nudge', 'push', {}, { locale: 'not a locale!', timeZone: 'UTC' })).toThrow(
        expect.objectContaining({ code: 'templates.invalid-option', field: 'locale' }),
      );
      expect(() => service.render('push/nudge', 'push', {}, { locale: 'en', timeZone: 'Mars/Olympus' })).toThrow(
        expect.objectContaining({ code: 'templates.invalid-option', field: 'timeZone' }),
      );
    });
  });

  describe('check', () => {
    it('reports an unknown variable with its file, line and column', () => {
      const shape = {
        user: { firstNme: 'value' },
        sentAt: 'value',
        journeys: [{ name: 'value', keywords: ['value'] }],
      } as const;
      const problems = service.check('email/digest', 'email', shape);
      expect(problems).toContainEqual(
        expect.objectContaining({ file: 'email/digest/html.hbs', line: 1, column: 18, variable: 'user.firstName' }),
      );
      expect(problems).toContainEqual(
        expect.objectContaining({ file: 'email/digest/html.hbs', line: 5, column: 33, variable: 'journey.url' }),
      );
    });

    it('finds nothing when the shape provides every variable', () => {
      const shape = {
        user: { firstName: 'value' },
        sentAt: 'value',
        journeys: [{ name: 'value', keywords: ['value'], url: 'value' }],
      } as const;
      expect(service.check('email/digest', 'email', shape)).toEqual([]);
    });
  });

  it('lists templates with their channel and locales', () => {
    expect(service.list()).toEqual(
      expect.arrayContaining([
        {
          ref: 'push/nudge',
          channel: 'push',
          locales: ['fr', 'fr-CA'],
          description: 'A nudge about one ongoing journey',
        },
        { ref: 'email/digest', channel: 'email', locales: ['fr'], description: 'Weekly digest' },
      ]),
    );
  });

  describe('locale fallback', () => {
    const render = (locale: string) =>
      service.render('push/nudge', 'push', { journey: journey() }, { locale, timeZone: 'Europe/Paris', now: NOW });

    it.each([
      [
        'fr-CA',
        'fr-CA',
        'Kitchen remodel, ça avance ?',
        'Reprenez backsplash, island et tiles. Dernière visite il y a 3 jours.',
      ],
      [
        'fr-FR',
        'fr',
        'Kitchen remodel : 3 nouvelles idées',
        'Reprenez backsplash, island et tiles. Dernière visite il y a 3 jours.',
      ],
      [
        'fr',
        'fr',
        'Kitchen remodel : 3 nouvelles idées',
        'Reprenez backsplash, island et tiles. Dernière visite il y a 3 jours.',
      ],
      [
        'de-DE',
        'default',
        'Kitchen remodel: 3 new ideas',
        'Pick up where you left off with backsplash, island, and tiles. Last visit 3 days ago.',
      ],
      [
        'en-GB',
        'default',
        'Kitchen remodel: 3 new ideas',
        'Pick up where you left off with backsplash, island and tiles. Last visit 3 days ago.',
      ],
    ])('%s gets the %s variant, part by part along fr-CA → fr → default', (locale, variant, title, body) => {
      const push = render(locale);
      expect(push.template.locale).toBe(variant);
      expect(push.title.replace(/\s/g, ' ')).toBe(title);
      expect(push.body).toBe(body);
    });

    it('formats dates and numbers in the recipient locale when the text is in their language, else in the template language', () => {
      const dir = templateTree({
        'push/d/title.hbs': '{{date at "medium"}} {{number n}}',
        'push/d/title.fr.hbs': '{{date at "medium"}} {{number n}}',
        'push/d/body.hbs': '{{@locale}}',
        'push/d/body.fr.hbs': '{{@locale}}',
      });
      const d = templatesService(dir);
      const title = (locale: string) =>
        d.render('push/d', 'push', { at: '2026-03-08T12:00:00Z', n: 1234.5 }, { locale, timeZone: 'UTC' });
      expect(title('fr-CA')).toMatchObject({ body: 'fr-CA' });
      expect(title('fr-CA').title.replace(/\s/g, ' ')).toBe('8 mars 2026 1 234,5');
      expect(title('en-GB')).toMatchObject({ title: '8 Mar 2026 1,234.5', body: 'en-GB' });
      expect(title('de-DE')).toMatchObject({ title: 'Mar 8, 2026 1,234.5', body: 'en' });
    });

    it('gives each variant its own content hash', () => {
      expect(new Set(['fr-CA', 'fr', 'en'].map((l) => render(l).template.hash)).size).toBe(3);
      expect(render('en-GB').template.hash).toBe(render('de').template.hash);
    });

    it('never gives a locale variant the default text.hbs: its text part is derived from its own HTML', () => {
      const dir = templateTree({
        'email/t/subject.hbs': 'Your ideas',
        'email/t/subject.fr.hbs': 'Vos idées',
        'email/t/preheader.hbs': 'This week',
        'email/t/preheader.fr.hbs': 'Cette semaine',
        'email/t/html.hbs': '<p>Hello {{name}}</p><a href="{{unsubscribeUrl}}">Unsubscribe</a>',
        'email/t/html.fr.hbs': '<p>Bonjour {{name}}</p><a href="{{unsubscribeUrl}}">Se désabonner</a>',
        'email/t/text.hbs': 'Hello {{name}}, this is the text part. Unsubscribe: {{unsubscribeUrl}}',
        'email/t/template.json': '{ "layout": null }',
      });
      const t = templatesService(dir);
      const email = (locale: string) => t.render('email/t', 'email', { name: 'Ana' }, { locale, timeZone: 'UTC' });
      expect(email('en').text).toMatch(/^Hello Ana, this is the text part\. Unsubscribe: __jc_/);
      const fr = email('fr-CA');
      expect(fr.subject).toBe('Vos idées');
      expect(fr.text).toContain('Bonjour Ana');
      expect(fr.text).not.toContain('Hello');
      expect(fr.text).toContain('Se désabonner');
    });

    it('gives a locale without its script the variant of the script it is written in: zh-TW reads zh-Hant', () => {
      const dir = templateTree({
        'push/zh/title.hbs': 'Ideas',
        'push/zh/body.hbs': 'en',
        'push/zh/title.zh.hbs': '想法',
        'push/zh/body.zh.hbs': 'zh',
        'push/zh/title.zh-Hant.hbs': '想法',
        'push/zh/body.zh-Hant.hbs': 'zh-Hant',
      });
      const t = templatesService(dir);
      const variant = (locale: string) => t.render('push/zh', 'push', {}, { locale, timeZone: 'UTC' }).template.locale;
      expect(variant('zh-TW')).toBe('zh-Hant');
      expect(variant('zh-HK')).toBe('zh-Hant');
      expect(variant('zh-Hant-TW')).toBe('zh-Hant');
      expect(variant('zh-CN')).toBe('zh');
      expect(variant('zh')).toBe('zh');
      expect(variant('en-US')).toBe('default');
    });

    it('lays out an email right to left when its text is in a right-to-left language', () => {
      const dir = templateTree(
        {
          'email/rtl/subject.hbs': 'Your ideas',
          'email/rtl/subject.ar.hbs': 'أفكارك',
          'email/rtl/preheader.hbs': 'This week',
          'email/rtl/preheader.ar.hbs': 'هذا الأسبوع',
          'email/rtl/html.hbs': '<p>Hello</p>',
          'email/rtl/html.ar.hbs': '<p>مرحبا</p>',
        },
        { shipped: true },
      );
      const t = templatesService(dir);
      const html = (locale: string) => t.render('email/rtl', 'email', {}, { locale, timeZone: 'UTC' }).html;
      expect(html('ar-EG')).toContain('<html lang="ar-EG" dir="rtl">');
      expect(html('en')).toContain('<html lang="en" dir="ltr">');
      // Text in the template's own language keeps its direction, whoever receives it.
      expect(html('he')).toContain('<html lang="en" dir="ltr">');
    });

    it('takes partials and layouts in the language and script of the template text, never another', () => {
      const dir = templateTree({
        'layouts/default.html.hbs': '<html lang="{{@locale}}" dir="{{@dir}}">{{{@content}}}Unsubscribe</html>',
        'layouts/default.html.ar.hbs': '<html lang="{{@locale}}" dir="{{@dir}}">{{{@content}}}إلغاء</html>',
        'layouts/default.html.fr.hbs': '<html lang="{{@locale}}" dir="{{@dir}}">{{{@content}}}Désabonner</html>',
        'partials/sign.hbs': 'Thanks',
        'partials/sign.fr.hbs': 'Merci',
        'partials/sign.de.hbs': 'Danke',
        'partials/sign.zh-Hans.hbs': '谢谢',
        'partials/sign.zh-Hant.hbs': '謝謝',
        'email/en/subject.hbs': 'Ideas',
        'email/en/preheader.hbs': 'This week',
        'email/en/html.hbs': '<p>Hello {{> sign}}</p><a href="{{unsubscribeUrl}}">x</a>',
        'email/fr/subject.hbs': 'Ideas',
        'email/fr/subject.fr.hbs': 'Idées',
        'email/fr/preheader.hbs': 'This week',
        'email/fr/preheader.fr.hbs': 'Cette semaine',
        'email/fr/html.hbs': '<p>Hello {{> sign}}</p><a href="{{unsubscribeUrl}}">x</a>',
        'email/fr/html.fr.hbs': '<p>Bonjour {{> sign}}</p><a href="{{unsubscribeUrl}}">x</a>',
        'push/zh/title.hbs': 'Ideas',
        'push/zh/body.hbs': 'Hello {{> sign}}',
        'push/zh/title.zh.hbs': '想法',
        'push/zh/body.zh.hbs': '你好 {{> sign}}',
        'push/hant/title.hbs': '想法',
        'push/hant/body.hbs': '你好 {{> sign}}',
        'push/hant/template.json': '{ "locale": "zh-Hant" }',
      });
      const t = templatesService(dir);
      const html = (ref: string, locale: string) => t.render(ref, 'email', {}, { locale, timeZone: 'UTC' }).html;
      const body = (ref: string, locale: string) => t.render(ref, 'push', {}, { locale, timeZone: 'UTC' }).body;
      // A fr-CA reader of the fr text gets the fr partial and layout.
      expect(html('email/fr', 'fr-CA')).toMatch(
        /^<html lang="fr-CA" dir="ltr"><p>Bonjour Merci<\/p>.*Désabonner<\/html>$/,
      );
      // The English text stays English around a partial or layout that has the reader's language.
      expect(html('email/en', 'de-DE')).toMatch(
        /^<html lang="en" dir="ltr"><p>Hello Thanks<\/p>.*Unsubscribe<\/html>$/,
      );
      expect(html('email/en', 'fr-FR')).toMatch(
        /^<html lang="en" dir="ltr"><p>Hello Thanks<\/p>.*Unsubscribe<\/html>$/,
      );
      expect(html('email/en', 'ar-EG')).toMatch(
        /^<html lang="en" dir="ltr"><p>Hello Thanks<\/p>.*Unsubscribe<\/html>$/,
      );
      // zh files are Simplified: a zh-TW reader of them gets the Simplified partial, not the Traditional one.
      expect(body('push/zh', 'zh-TW')).toBe('你好 谢谢');
      expect(body('push/zh', 'zh-CN')).toBe('你好 谢谢');
      // Traditional text keeps its Traditional partial for a zh-CN reader.
      expect(body('push/hant', 'zh-CN')).toBe('你好 謝謝');
      expect(body('push/hant', 'zh-HK')).toBe('你好 謝謝');
      // Dates, numbers and copy written for the message follow the same text locale.
      expect(t.textLocale('push/zh', 'push', 'zh-TW')).toBe('zh');
      expect(t.textLocale('push/hant', 'push', 'zh-CN')).toBe('zh-Hant');
      expect(t.textLocale('push/hant', 'push', 'zh-HK')).toBe('zh-HK');
      expect(t.textLocale('email/fr', 'email', 'fr-CA')).toBe('fr-CA');
    });

    it('uses the locale variants of partials too', () => {
      const html = (locale: string) =>
        service.render('email/digest', 'email', digest(), { locale, timeZone: 'UTC' }).html;
      expect(html('fr-CA')).toContain('Se désabonner');
      expect(html('en')).toContain('>Unsubscribe<');
    });
  });

  describe('escaping', () => {
    const attack = '"><script>alert(1)</script>';

    it('escapes context values in HTML, in text and in attributes', () => {
      const email = service.render('email/digest', 'email', digest(attack), { locale: 'en', timeZone: 'UTC' });
      expect(email.html).not.toContain('<script>');
      expect(email.html).toContain('title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect(email.html).toContain('<li>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; (backsplash and island)</li>');
      expect(email.preheader).toBe(`Ideas for ${attack}`); // plain text: shown as written, never parsed
      expect(email.text).toContain(attack);
    });

    it('keeps a {{{ }}} opt-out raw, and only there', () => {
      const dir = templateTree({
        'email/e/subject.hbs': 'S',
        'email/e/preheader.hbs': 'P',
        'email/e/html.hbs': '<div>{{{trusted}}}</div><div>{{untrusted}}</div>',
        'layouts/default.html.hbs': '{{{@content}}}<a href="{{unsubscribeUrl}}">u</a>',
      });
      const { html } = templatesService(dir).render(
        'email/e',
        'email',
        { trusted: '<b>bold</b>', untrusted: '<b>bold</b>' },
        { locale: 'en', timeZone: 'UTC' },
      );
      expect(html).toContain('<div><b>bold</b></div><div>&lt;b&gt;bold&lt;/b&gt;</div>');
    });

    it('percent-encodes values in deep links and collapses line breaks in one-line parts', () => {
      const push = nudge({ id: '../admin?x=1#y', name: 'Line\r\nBcc: evil@example.com' });
      expect(push.deepLink).toBe(
        'journeycast://journeys/..%2Fadmin%3Fx%3D1%23y?q=Line%0D%0ABcc%3A%20evil%40example.com',
      );
      expect(push.title).toBe('Line Bcc: evil@example.com: 3 new ideas');
    });

    it('percent-encodes half an emoji (a lone surrogate) in a deep link as the replacement character', () => {
      // A name cut inside an emoji upstream: encodeURIComponent alone throws on it.
      const push = nudge({ name: 'Kitchen \ud83d', id: 'j\ude00' });
      expect(push.deepLink).toBe('journeycast://journeys/j%EF%BF%BD?q=Kitchen%20%EF%BF%BD');
    });

    it('truncates HTML copy by the characters it shows, never inside an entity or a tag, closing what it leaves open', () => {
      const dir = templateTree({
        'email/e/subject.hbs': 'Ideas',
        'email/e/preheader.hbs': 'Ideas',
        'email/e/html.hbs': '<p>{{{truncate copy.introHtml 23}}}</p><p>{{{truncate note 12}}}</p>',
        'layouts/default.html.hbs': '{{{@content}}}<a href="{{unsubscribeUrl}}">u</a>',
      });
      const note = new Handlebars.SafeString('<a href="https://x.test/a-long-path">Read</a> the rest');
      const context = { copy: { introHtml: 'Tiles &amp; paint for <b>your kitchen</b> remodel' }, note };
      const email = templatesService(dir).render('email/e', 'email', context, { locale: 'en', timeZone: 'UTC' });
      expect(email.html).toContain('<p>Tiles &amp; paint for <b>your…</b></p>');
      expect(email.html).toContain('<p><a href="https://x.test/a-long-path">Read</a> the…</p>');
    });

    it('truncates HTML copy reached through default or lookup as HTML, and the text it falls back to as text', () => {
      const dir = templateTree({
        'email/e/subject.hbs': 'Ideas',
        'email/e/preheader.hbs': 'Ideas',
        'email/e/html.hbs':
          '<p>{{{truncate (default copy.introHtml copy.intro) 23}}}</p><p>{{{truncate (lookup copy "introHtml") 23}}}</p>' +
          '<p>{{{truncate (lookup copy field) 23}}}</p><p>{{truncate (default copy.teaserHtml copy.intro) 12}}</p>',
        'layouts/default.html.hbs': '{{{@content}}}<a href="{{unsubscribeUrl}}">u</a>',
      });
      const introHtml = 'Tiles &amp; paint for <b>your kitchen</b> remodel';
      const context = { copy: { introHtml, intro: 'Tom & Jerry <3 kitchens' }, field: 'introHtml' };
      const email = templatesService(dir).render('email/e', 'email', context, { locale: 'en', timeZone: 'UTC' });
      const cut = '<p>Tiles &amp; paint for <b>your…</b></p>';
      expect(email.html).toContain(cut + cut + cut + '<p>Tom &amp; Jerry…</p>');
    });

    it('prints values without bidi controls, which could reorder the text around them', () => {
      const dir = templateTree({
        'email/e/subject.hbs': '{{user.attributes.firstName}}, your {{subject.name}} ideas',
        'email/e/preheader.hbs': '{{join subject.keywords}}',
        'email/e/html.hbs': '<p title="{{user.attributes.firstName}}">Hi {{truncate user.attributes.firstName 20}}</p>',
        'layouts/default.html.hbs': '{{{@content}}}<a href="{{unsubscribeUrl}}">u</a>',
        'push/p/title.hbs': '\u200f{{user.attributes.firstName}}: {{subject.name}}',
        'push/p/body.hbs': '{{default user.attributes.nickname "friend"}}',
      });
      // After a right-to-left override, the rest of the subject would read backwards.
      const spoofs = '\u202e\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
      const context = {
        user: { attributes: { firstName: `Ana${spoofs}`, nickname: '\u2067Al\u2069' } },
        subject: { name: 'kitchen\u202e remodel', keywords: ['tiles\u2066', 'paint'] },
      };
      const service = templatesService(dir);
      const email = service.render('email/e', 'email', context, { locale: 'en', timeZone: 'UTC' });
      expect(email.subject).toBe('Ana, your kitchen remodel ideas');
      expect(email.preheader).toBe('tiles and paint');
      expect(email.html).toContain('<p title="Ana">Hi Ana</p>');
      expect(email.text).toContain('Hi Ana');
      const push = service.render('push/p', 'push', context, { locale: 'en', timeZone: 'UTC' });
      // The template's own mark stays: only values lose theirs.
      expect(push.title).toBe('\u200fAna: kitchen remodel');
      expect(push.body).toBe('Al');
      expect(context.user.attributes.firstName).toBe(`Ana${spoofs}`);
    });

    it('does not reach prototype properties of the context', () => {
      const dir = templateTree({
        'push/p/title.hbs': '[{{a.constructor}}{{a.__proto__}}]',
        'push/p/body.hbs': '{{a.x}}',
      });
      const warn = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      const push = templatesService(dir).render(
        'push/p',
        'push',
        { a: Object.create({ x: 'inherited' }) },
        { locale: 'en', timeZone: 'UTC' },
      );
      warn.mockRestore();
      expect([push.title, push.body]).toEqual(['[]', '']);
    });
  });

  describe('links', () => {
    it('resolves placeholders into final URLs, HTML-escaped in the HTML', () => {
      const email = service.render('email/digest', 'email', digest(), { locale: 'en', timeZone: 'UTC' });
      const resolved = service.resolveLinks(email, (link) => `https://t.test/${link.kind}/${link.id}?s=1&t=2`);
      expect(resolved.html).toContain('href="https://t.test/click/c1?s&#x3D;1&amp;t&#x3D;2"');
      expect(resolved.html).toContain('href="https://t.test/unsubscribe/u2?s&#x3D;1&amp;t&#x3D;2"');
      expect(resolved.text).toContain('(https://t.test/click/c1?s=1&t=2)');
      expect(resolved.html).not.toMatch(/__jc_/);
    });

    it('cannot be fooled by placeholder-looking text from user data', () => {
      const first = service.render('email/digest', 'email', digest(), { locale: 'en', timeZone: 'UTC' });
      // An attacker who saw a past message's placeholders puts them (and made-up ones) in their data.
      const forged = `${first.links[0].placeholder} __jc_0000000000000000_u2__`;
      const email = service.render('email/digest', 'email', digest(forged), { locale: 'en', timeZone: 'UTC' });
      expect(email.links[0].placeholder).not.toBe(first.links[0].placeholder);
      const resolved = service.resolveLinks(email, () => 'https://signed.test/');
      expect(resolved.html).toContain(forged);
      expect(resolved.text).toContain(forged);
      expect(resolved.html.match(/https:\/\/signed\.test\//g)).toHaveLength(2);
    });

    it('refuses a script link from the data', () => {
      const bad = { ...digest(), journeys: [{ name: 'x', keywords: [], url: 'javascript:alert(1)' }] };
      expect(() => service.render('email/digest', 'email', bad, { locale: 'en', timeZone: 'UTC' })).toThrow(
        expect.objectContaining({ code: 'templates.invalid-link' }),
      );
    });
  });

  describe('text part', () => {
    it('is derived from the HTML when the template has no text.hbs', () => {
      const email = service.render('email/digest', 'email', digest(), { locale: 'en-US', timeZone: 'UTC' });
      const [click, unsubscribe] = email.links.map((l) => l.placeholder);
      expect(email.text).toBe(
        [
          'Hi Ana,',
          '',
          'Here is where your journeys stand on January 10, 2026.',
          '',
          '- Kitchen remodel (backsplash and island)',
          '',
          `0. Kitchen remodel (${click})`,
          '',
          `Unsubscribe (${unsubscribe})`,
        ].join('\n'),
      );
    });

    it('is derived from each HTML as it is, whether recipients share one or not', () => {
      const pinned = new TemplatesService({ dir: FIXTURES, pushLimits: LIMITS, nonce: () => 'nonce000' });
      const options = { locale: 'en-US', timeZone: 'UTC' };
      const names = ['Kitchen remodel', 'Garden', 'Kitchen remodel', 'Attic', 'Garden'];
      const emails = names.map((name) => pinned.render('email/digest', 'email', digest(name), options));
      for (const [i, name] of names.entries()) {
        expect(emails[i].text).toContain(`- ${name} (backsplash and island)`);
        expect(emails[i].text).not.toContain(names.find((other) => other !== name));
      }
      expect(emails[2]).toEqual(emails[0]);
      expect(emails[4]).toEqual(emails[1]);
    });

    it('comes from text.hbs inside the text layout when there is one', () => {
      const email = service.render(
        'email/with-text',
        'email',
        { user: { firstName: 'Ana' } },
        { locale: 'en', timeZone: 'UTC' },
      );
      const [unsubscribe] = email.links.map((l) => l.placeholder);
      expect(email.text).toBe(['Hello Ana, this is the text part.', '--', `Unsubscribe: ${unsubscribe}`].join('\n'));
      expect(email.links).toEqual([expect.objectContaining({ kind: 'unsubscribe' })]);
    });
  });

  describe('push limits', () => {
    it('applies tighter limits a caller asks for, and records what was cut', () => {
      const push = service.render(
        'push/plain',
        'push',
        { title: 'Kitchen remodel ideas for your weekend', body: 'Short body', note: 'n' },
        { locale: 'en', timeZone: 'UTC', pushLimits: { titleMaxChars: 20 } },
      );
      expect(push).toMatchObject({ title: 'Kitchen remodel…', body: 'Short body', truncated: ['title'] });
    });

    it('keeps the payload within its byte limit, trimming data first', () => {
      const note = 'word '.repeat(2000);
      const push = service.render(
        'push/plain',
        'push',
        { title: 'T', body: 'B', note },
        { locale: 'en', timeZone: 'UTC', pushLimits: { payloadMaxBytes: 1024 } },
      );
      expect(push.truncated).toEqual(['data']);
      expect(push.data.note.endsWith('word…')).toBe(true);
      expect(
        Buffer.byteLength(JSON.stringify({ notification: { title: 'T', body: 'B' }, data: push.data })),
      ).toBeLessThanOrEqual(1024);
    });

    it('refuses a truncate limit from the data that is not a whole number, instead of printing nothing', () => {
      const dir = templateTree({ 'push/t/title.hbs': '{{truncate name limit}}', 'push/t/body.hbs': 'Body' });
      const render = (limit: unknown) =>
        templatesService(dir).render(
          'push/t',
          'push',
          { name: 'Kitchen remodel', limit },
          { locale: 'en', timeZone: 'UTC' },
        );
      expect(render(8).title).toBe('Kitchen…');
      for (const limit of [0, -3, 'abc', 2.5]) {
        expect(() => render(limit)).toThrow(
          expect.objectContaining({ code: 'templates.invalid-value', field: 'truncate' }),
        );
      }
    });

    it('refuses limits looser than the configured ones', () => {
      const options = { locale: 'en', timeZone: 'UTC', pushLimits: { payloadMaxBytes: 10_000 } };
      expect(() => service.render('push/plain', 'push', { title: 't', body: 'b' }, options)).toThrow(
        expect.objectContaining({ code: 'templates.invalid-option', field: 'pushLimits.payloadMaxBytes' }),
      );
    });
  });

  it('reads edited templates again after reload()', () => {
    const dir = templateTree({ 'push/r/title.hbs': 'One', 'push/r/body.hbs': 'B' });
    const r = templatesService(dir);
    const options = { locale: 'en', timeZone: 'UTC' };
    const before = r.render('push/r', 'push', {}, options);
    writeFileSync(join(dir, 'push/r/title.hbs'), 'Two');
    expect(r.render('push/r', 'push', {}, options).title).toBe('One');
    r.reload();
    const after = r.render('push/r', 'push', {}, options);
    expect(after.title).toBe('Two');
    expect(after.template.hash).not.toBe(before.template.hash);
  });

  it('constructs with a fixed nonce for reproducible output', () => {
    const fixed = new TemplatesService({ dir: FIXTURES, pushLimits: LIMITS, nonce: () => 'fixednonce1' });
    const email = fixed.render('email/digest', 'email', digest(), { locale: 'en', timeZone: 'UTC' });
    expect(email.links.map((l) => l.placeholder)).toEqual(['__jc_fixednonce1_c1__', '__jc_fixednonce1_u2__']);
    expect(() => fixed.render('push/missing', 'push', {}, { locale: 'en', timeZone: 'UTC' })).toThrow(TemplateError);
  });
});
