import { removeTemplateTrees, templatesService, templateTree } from './testing/template-tree';

/** An email on top of the shipped layout and partials, as a growth team would write one. */
const EMAIL = {
  'email/weekly/subject.hbs': 'Your journeys this week',
  'email/weekly/preheader.hbs': 'New ideas for {{journeys.0.name}}',
  'email/weekly/html.hbs': [
    '<p>Hi {{default user.firstName "there"}},</p>',
    '{{> journey-list journeys=journeys}}',
    '{{> button url=cta.url label=cta.label}}',
  ].join('\n'),
  'email/weekly/subject.fr.hbs': 'Vos projets de la semaine',
  'email/weekly/preheader.fr.hbs': 'Des idées pour {{journeys.0.name}}',
  'email/weekly/html.fr.hbs': [
    '<p>Bonjour {{default user.firstName ""}},</p>',
    '{{> journey-list journeys=journeys}}',
    '{{> button url=cta.url label=cta.label}}',
  ].join('\n'),
};
const SHAPE = {
  user: { firstName: 'value' },
  journeys: [{ name: 'value', keywords: ['value'] }],
  cta: { url: 'value', label: 'value' },
} as const;
const CONTEXT = {
  user: { firstName: 'Ana' },
  journeys: [
    { name: 'Kitchen remodel', keywords: ['backsplash', 'island', 'tiles', 'paint', 'lights'] },
    { name: 'Marathon <training>', keywords: [] },
  ],
  cta: { url: 'https://example.com/journeys', label: 'See your ideas' },
};

describe('shipped layouts and partials', () => {
  afterAll(removeTemplateTrees);

  const service = templatesService(templateTree(EMAIL, { shipped: true }));

  it('pass the check with a matching shape', () => {
    expect(service.check('email/weekly', 'email', SHAPE)).toEqual([]);
  });

  it('render an email with the hidden preheader first, the content, and the unsubscribe footer', () => {
    const email = service.render('email/weekly', 'email', CONTEXT, { locale: 'en-US', timeZone: 'UTC' });
    const [cta, unsubscribe] = email.links;
    expect(cta).toMatchObject({ kind: 'click', url: 'https://example.com/journeys' });
    expect(unsubscribe).toMatchObject({ kind: 'unsubscribe', url: 'all' });
    expect(email.html).toMatch(/^<!DOCTYPE html>\n<html lang="en-US" dir="ltr">/);
    expect(email.html).toMatch(/<body[^>]*>\n<div style="display:none;[^"]*">New ideas for Kitchen remodel/);
    expect(email.html).toContain('<title>Your journeys this week</title>');
    expect(email.html).toContain('<strong>Marathon &lt;training&gt;</strong>');
    expect(email.html.indexOf('Hi Ana')).toBeLessThan(email.html.indexOf(unsubscribe.placeholder));
    expect(email.text).toBe(
      [
        'Hi Ana,',
        '',
        '- Kitchen remodel',
        '  backsplash, island, tiles, and paint',
        '- Marathon <training>',
        '',
        `See your ideas (${cta.placeholder})`,
        '',
        'You receive this email because you have an account with us.',
        `Unsubscribe (${unsubscribe.placeholder})`,
      ].join('\n'),
    );
  });

  it('localize the footer with the text of the email', () => {
    const email = service.render('email/weekly', 'email', CONTEXT, { locale: 'fr-FR', timeZone: 'Europe/Paris' });
    expect(email.html).toContain('Bonjour Ana');
    expect(email.html).toContain('Se désabonner');
    expect(email.text).toContain('Vous recevez cet e-mail');
  });
});
