import { join } from 'node:path';
import { TemplateError } from './domain/templates.errors';
import { TemplatesService } from './templates.service';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'templates');
const LIMITS = { titleMaxChars: 65, bodyMaxChars: 240, payloadMaxBytes: 4096 };
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
  const service = new TemplatesService({ dir: FIXTURES, pushLimits: LIMITS });

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
});
