import { ContextShape, TemplateProblem } from './template.types';
import { removeTemplateTrees, templatesService, templateTree } from './testing/template-tree';

const SHAPE: ContextShape = {
  user: { firstName: 'value', attributes: '*' },
  journeys: [{ name: 'value', keywords: ['value'] }],
  count: 'value',
};

/** Problems of a push whose body is `body` (title fixed), as `line:column message` strings. */
function bodyProblems(body: string, extra: Record<string, string> = {}): string[] {
  const dir = templateTree({ 'push/t/title.hbs': 'Title', 'push/t/body.hbs': body, ...extra });
  return templatesService(dir)
    .check('push/t', 'push', SHAPE)
    .map((p) => `${p.file === 'push/t/body.hbs' ? '' : `${p.file} `}${p.line}:${p.column} ${p.message}`);
}

describe('TemplatesService.check', () => {
  afterAll(removeTemplateTrees);

  it('reports an unknown variable with file, line, column and variable path', () => {
    const dir = templateTree({ 'push/t/title.hbs': 'Hi', 'push/t/body.hbs': 'Hello\n  {{user.firstNme}}!' });
    expect(templatesService(dir).check('push/t', 'push', SHAPE)).toEqual<TemplateProblem[]>([
      {
        ref: 'push/t',
        file: 'push/t/body.hbs',
        line: 2,
        column: 5,
        variable: 'user.firstNme',
        message: 'unknown variable "user.firstNme": user has no field "firstNme" (did you mean "firstName"?)',
      },
    ]);
  });

  it.each([
    ['#each changes the context', '{{#each journeys}}{{name}} {{this.name}} {{join keywords}}{{/each}}'],
    ['../ climbs back out of #each', '{{#each journeys}}{{../user.firstName}} {{../count}}{{/each}}'],
    ['@index, @first and @last inside #each', '{{#each journeys}}{{@index}}{{#if @first}}.{{/if}}{{@last}}{{/each}}'],
    ['block parameters', '{{#each journeys as |journey i|}}{{journey.name}} {{i}} {{name}}{{/each}}'],
    [
      'nested #each',
      '{{#each journeys}}{{#each keywords}}{{this}} of {{../name}} for {{../../user.firstName}}{{/each}}{{/each}}',
    ],
    ['#with', '{{#with user}}{{firstName}} {{attributes.plan}}{{/with}}{{#with user as |u|}}{{u.firstName}}{{/with}}'],
    [
      '#if does not change the context',
      '{{#if journeys}}{{journeys.length}} {{count}}{{else}}{{user.firstName}}{{/if}}',
    ],
    ['@root from anywhere', '{{#each journeys}}{{@root.user.firstName}}{{/each}}'],
    ['free-form attributes', '{{user.attributes.plan}} {{user.attributes.plan.tier}}'],
    [
      'helpers and sub-expressions',
      '{{truncate (default user.firstName "there") 10}} {{plural count one="#" other="#"}}',
    ],
    ['@locale and @timeZone', '{{@locale}} {{@timeZone}}'],
    ['else of #each is outside the list', '{{#each journeys}}{{name}}{{else}}{{user.firstName}}{{/each}}'],
    [
      'helper options that work',
      '{{truncate user.firstName "40"}} {{join journeys key="name" limit=3 type="or"}} ' +
        '{{number count style="currency" currency="EUR" maximumFractionDigits=0}} {{track "https://example.com/a"}}',
    ],
  ])('accepts %s', (_name, body) => {
    expect(bodyProblems(body)).toEqual([]);
  });

  it.each([
    [
      'an unknown field inside #each',
      '{{#each journeys}}\n{{nmae}}{{/each}}',
      ['2:3 unknown variable "nmae": the context has no field "nmae" (did you mean "name"?)'],
    ],
    [
      'a root field read inside #each without ../',
      '{{#each journeys}}{{count}}{{/each}}',
      ['1:21 unknown variable "count": the context has no field "count"'],
    ],
    ['../ above the root', '{{../count}}', ['1:3 ../count climbs above the root context']],
    ['@index outside #each', '{{@index}}', ['1:3 @index only exists inside {{#each}}']],
    ['an unknown data variable', '{{@locle}}', ['1:3 unknown data variable "@locle" (did you mean "@locale"?)']],
    ['#each over a value', '{{#each count}}x{{/each}}', ['1:9 count is a value, not a list']],
    [
      'a field of a list',
      '{{journeys.name}}',
      ['1:3 unknown variable "journeys.name": journeys is a list: go through it with {{#each journeys}}'],
    ],
    ['printing an object', '{{user}}', ['1:3 user is an object: print one of its fields']],
    ['printing a list', '{{journeys}}', ['1:3 journeys is a list: use {{join ...}} or {{#each ...}}']],
    [
      'an unknown variable in a helper argument',
      '{{truncate user.name 10}}',
      ['1:12 unknown variable "user.name": user has no field "name"'],
    ],
  ])('reports %s', (_name, body, expected) => {
    expect(bodyProblems(body)).toEqual(expected);
  });

  it.each([
    ['an unknown helper', '{{formatDate count}}', ['1:3 unknown helper "formatDate"']],
    ['a misspelt helper', '{{plurl count other="#"}}', ['1:3 unknown helper "plurl" (did you mean "plural"?)']],
    ['an unknown block helper', '{{#journeys}}x{{/journeys}}', ['1:4 unknown block helper "journeys"']],
    ['a block helper without a block', '{{each journeys}}', ['1:1 each needs a block: {{#each ...}}...{{/each}}']],
    ['a helper used as a block', '{{#date count}}x{{/date}}', ['1:1 date is not a block helper']],
    ['the wrong number of arguments', '{{truncate count}}', ['1:1 truncate takes 2 argument(s), got 1']],
    ['an unknown option', '{{join journeys sep=","}}', ['1:17 join has no option "sep"']],
    ['a missing required option', '{{plural count one="#"}}', ['1:16 plural needs the option other="..."']],
    [
      'an unknown style',
      '{{date count "huge"}}',
      [
        '1:1 date has no style "huge" (one of short, medium, long, full, time, datetime, weekday, day-month, month-year)',
      ],
    ],
    [
      'a limit that is not a whole number',
      '{{truncate user.firstName "abc"}} {{truncate count 0}}',
      [
        '1:27 truncate: the limit must be a whole number of at least 1, got "abc"',
        '1:52 truncate: the limit must be a whole number of at least 1, got 0',
      ],
    ],
    [
      'a list option that cannot work',
      '{{join journeys limit=-1}} {{join journeys type="xor"}} {{join journeys limit="3"}}',
      [
        '1:23 join: limit must be a whole number of at least 1, got -1',
        '1:49 join: type must be one of and, or, unit, got "xor"',
        '1:79 join: limit must be a whole number of at least 1, got "3"',
      ],
    ],
    [
      'a number option that cannot work',
      '{{number count style="currency"}} {{number count style="currency" currency="EURO"}} {{number count maximumFractionDigits=500}}',
      [
        '1:1 number style "currency" needs the option currency="..."',
        '1:76 number: currency must be an ISO 4217 code such as EUR, got "EURO"',
        '1:122 number: maximumFractionDigits must be a whole number from 0 to 100, got 500',
      ],
    ],
    [
      'a tracked link that is not an absolute URL, or runs script',
      '{{track "app.example.com/ideas"}} {{track "javascript:alert(1)"}}',
      ['1:9 track: "app.example.com/ideas" is not an absolute URL', '1:43 track: javascript: links are not allowed'],
    ],
    [
      'a deep link whose host a value could change',
      'Body',
      [
        'push/t/deep-link.hbs 1:24 a deep link writes its scheme and host out before any {{ }}: a value there could change where it goes',
      ],
      { 'push/t/deep-link.hbs': 'https://app.example.com{{user.firstName}}' },
    ],
    ['an unknown partial', '{{> journey-lst}}', ['1:5 unknown partial "journey-lst"']],
    ['a dynamic partial', '{{> (lookup . "x")}}', ['1:1 partial names must be written out: {{> journey-list}}']],
    [
      'a partial block',
      '{{#> footer}}x{{/footer}}',
      ['1:1 partial blocks ({{#> }}) are not supported: use {{> name}}'],
    ],
    ['a decorator', '{{* foo}}', ['1:1 decorators ({{* }}) are not supported']],
  ])('reports %s', (_name, body, expected, files: Record<string, string> = {}) => {
    expect(bodyProblems(body, { 'partials/footer.hbs': 'f', ...files })).toEqual(expected);
  });

  it.each([
    ['a value in the path and query', 'app://journeys/{{count}}?q={{user.firstName}}'],
    ['a scheme without a host', 'mailto:{{user.firstName}}'],
    ['a tracked link', '{{track "https://app.example.com/ideas"}}'],
    ['a host written out in each branch', '{{#if count}}https://a.example.com/{{count}}{{else}}app://home{{/if}}'],
  ])('accepts a deep link with %s', (_name, link) => {
    expect(bodyProblems('Body', { 'push/t/deep-link.hbs': link })).toEqual([]);
  });

  /** Problems of an email whose HTML part is `html` (its own layout, subject and preheader fixed). */
  function htmlProblems(html: string, extra: Record<string, string> = {}): string[] {
    const dir = templateTree({
      'email/e/subject.hbs': 'S',
      'email/e/preheader.hbs': 'P',
      'email/e/html.hbs': html,
      'layouts/default.html.hbs': '{{{@content}}}<a href="{{unsubscribeUrl}}">u</a>',
      ...extra,
    });
    return templatesService(dir)
      .check('email/e', 'email', SHAPE)
      .map((p) => `${p.file === 'email/e/html.hbs' ? '' : `${p.file} `}${p.line}:${p.column} ${p.message}`);
  }
  const HTML_LINK =
    'a link in HTML writes its scheme and host out before any {{ }}, or starts with {{track ...}}: a value there could change where it goes';

  it.each([
    ['a host from a value', '<a href="https://{{user.firstName}}/path">x</a>', ['1:18']],
    ['a value right after the host', '<a href="https://app.example.com{{user.firstName}}">x</a>', ['1:33']],
    ['a whole URL from a value', '<a title="{{count}}" href="{{user.firstName}}">x</a>', ['1:28']],
    ['an image source', "<img alt='' src='https://cdn.example.com{{count}}'>", ['1:41']],
    ['an unquoted attribute', '<img src=https://{{count}}/a.png>', ['1:18']],
    ['a raw value', '<a href="{{{user.firstName}}}">x</a>', ['1:10']],
    [
      'a branch without a host',
      '<a href="{{#if count}}https://a.example.com/{{count}}{{else}}{{count}}{{/if}}">x</a>',
      ['1:62'],
    ],
    ['a partial in a link', '<a href="{{> footer}}">x</a>', ['1:10']],
    ['an image candidate in srcset', '<img srcset="https://cdn.example.com/a.png 1x, {{count}} 2x">', ['1:48']],
    ['a host in srcset', '<img srcset="https://{{count}}/a.png 2x">', ['1:22']],
    ['a CSS url() in a style attribute', '<td style="background: url(\'https://{{count}}/bg.png\')">x</td>', ['1:37']],
    ['a CSS url() from a value', '<div style="background-image:url({{count}})">x</div>', ['1:34']],
    ['a CSS url() in a style block', '<style>td { background: url("{{count}}"); }</style>', ['1:30']],
  ])('reports a link in HTML with %s', (_name, html, at) => {
    expect(htmlProblems(html, { 'partials/footer.hbs': 'f' })).toEqual(at.map((pos) => `${pos} ${HTML_LINK}`));
  });

  it('reports such a link in the layout and in a partial the HTML calls', () => {
    expect(
      htmlProblems('{{> button url=user.firstName}}', {
        'partials/button.hbs': '<a href="https://{{url}}.example.com/">go</a>',
        'layouts/default.html.hbs':
          '{{{@content}}}<a href="{{unsubscribeUrl}}">u</a><img src="https://{{@subject}}/p.gif">',
      }),
    ).toEqual([`layouts/default.html.hbs 1:67 ${HTML_LINK}`, `partials/button.hbs 1:18 ${HTML_LINK}`]);
  });

  it.each([
    ['a value in the path and query', '<a href="https://app.example.com/j/{{count}}?q={{user.firstName}}">x</a>'],
    [
      'a tracked link and more after it',
      '<a href="{{track "https://app.example.com/"}}?c={{count}}" title="{{count}}">x</a>',
    ],
    ['a scheme without a host', '<a href="mailto:{{user.firstName}}">x</a>'],
    ['a fragment', '<a href="#{{count}}">x</a>'],
    ['values outside URL attributes', '<p title="{{count}}" data-x={{count}}>{{user.firstName}} href="{{count}}"</p>'],
    [
      'a tag closed before the value',
      '<a href="https://a.example.com/">{{count}}</a><img src="https://b.example.com/{{count}}">',
    ],
    [
      'a host written out in each branch',
      '<a href="{{#if count}}https://a.example.com/{{count}}{{else}}mailto:{{count}}{{/if}}">x</a>',
    ],
    [
      'a srcset with hosts written out and values in paths and descriptors',
      '<img srcset="https://cdn.example.com/{{count}}.png {{count}}w, https://cdn.example.com/b.png 2x">',
    ],
    [
      'values in CSS outside url()',
      '<td style="color: {{count}}; background: url(https://cdn.example.com/{{count}}.png)">x</td><style>p { width: {{count}}px }</style>',
    ],
  ])('accepts a link in HTML with %s', (_name, html) => {
    expect(htmlProblems(html)).toEqual([]);
  });

  it.each([
    ['an unclosed mustache', 'Hello {{user.firstName', '1:14 Parse error'],
    ['a mismatched block', '{{#if count}}\n  x\n{{/iff}}', "1:4 if doesn't match iff"],
  ])('reports the syntax error of %s with its position', (_name, body, position) => {
    const [problem] = bodyProblems(body);
    expect(problem.startsWith(position)).toBe(true);
  });

  it('checks partials in the context they are given, and reports in the partial file', () => {
    const partial = '{{#each items}}<li>{{name}} {{url}}</li>{{/each}} {{title}}';
    const problems = bodyProblems('{{> list items=journeys title=user.firstName}}', { 'partials/list.hbs': partial });
    expect(problems).toEqual(['partials/list.hbs 1:31 unknown variable "url": the context has no field "url"']);
  });

  it('checks every locale variant of a partial and reports its syntax errors', () => {
    const problems = bodyProblems('{{> list}}', {
      'partials/list.hbs': '{{count}}',
      'partials/list.fr.hbs': '{{countt}} {{',
    });
    expect(problems).toEqual([expect.stringMatching(/^partials\/list\.fr\.hbs 1:\d+ Parse error/)]);
  });

  it('reports missing required parts, per locale within its language', () => {
    const dir = templateTree({
      'push/t/title.hbs': 'T',
      'push/t/title.fr-CA.hbs': 'T',
      'push/t/title.de.hbs': 'T',
      'push/t/body.de-AT.hbs': 'B',
    });
    const problems = templatesService(dir).check('push/t', 'push', SHAPE);
    expect(problems.map((p) => `${p.file} ${p.message}`)).toEqual([
      'push/t/body.de.hbs locale de has no body: add body.de.hbs',
      'push/t/body.fr-CA.hbs locale fr-CA has no body: add body.fr-CA.hbs (or body.fr.hbs)',
      'push/t/body.hbs missing required part body.hbs',
    ]);
  });

  it('reports files that are not parts of the channel, bad locale suffixes and folders', () => {
    const problems = bodyProblems('B', {
      'push/t/titel.hbs': 'x',
      'push/t/subject.hbs': 'x',
      'push/t/body.fr_CA.hbs': 'x',
      'push/t/fr/title.hbs': 'x',
    });
    expect(problems).toEqual([
      'push/t/body.fr_CA.hbs 1:1 "fr_CA" is not a canonical locale suffix (write it like fr or fr-CA)',
      'push/t/fr 1:1 unexpected folder: locale variants are files such as title.fr.hbs',
      'push/t/subject.hbs 1:1 not a push part (expected title.hbs, body.hbs, deep-link.hbs, data.json)',
      'push/t/titel.hbs 1:1 not a push part (expected title.hbs, body.hbs, deep-link.hbs, data.json)',
    ]);
  });

  it('points problems inside data.json values at their line and column in the JSON file', () => {
    const problems = bodyProblems('B', { 'push/t/data.json': '{\n  "a": "{{count}}",\n  "b": "x {{nope}}"\n}' });
    expect(problems).toEqual(['push/t/data.json 3:13 unknown variable "nope": the context has no field "nope"']);
  });

  it('refuses data keys FCM reserves, at their line in data.json, and keeps keys that only contain them', () => {
    const data = [
      '{',
      '  "from": "a",',
      '  "message_type": "b",',
      '  "notification": "c",',
      '  "google.sent_time": "d",',
      '  "gcm_id": "e",',
      '  "fromage": "f",',
      '  "my_google_id": "g",',
      '  "aps": "h",',
      '  "jc_open_token": "i"',
      '}',
    ].join('\n');
    const reserved = (key: string, line: number, column: number) =>
      `push/t/data.json ${line}:${column} data key "${key}" is reserved by FCM, which refuses the whole message ` +
      'with it: rename it (from, message_type and keys starting with google or gcm are reserved)';
    expect(bodyProblems('B', { 'push/t/data.json': data })).toEqual([
      reserved('from', 2, 12),
      reserved('message_type', 3, 20),
      reserved('google.sent_time', 5, 24),
      reserved('gcm_id', 6, 14),
      'push/t/data.json 9:11 data key "aps" would replace the alert of an APNs push: rename it',
      'push/t/data.json 10:21 data key "jc_open_token" starts with jc_, which delivery keeps for its own keys: rename it',
    ]);
  });

  it('reports a bad template.json', () => {
    const problems = bodyProblems('B', { 'push/t/template.json': '{"layout": 3, "colour": "red"}' });
    expect(problems).toEqual([
      'push/t/template.json 1:1 invalid layout: 3',
      'push/t/template.json 1:1 unknown key "colour" (description, layout, locale)',
    ]);
  });

  describe('emails', () => {
    const email = (files: Record<string, string>) =>
      templateTree({
        'email/e/subject.hbs': 'S',
        'email/e/preheader.hbs': 'P',
        'email/e/html.hbs': '<p>Hi</p>',
        ...files,
      });
    const messages = (dir: string) =>
      templatesService(dir)
        .check('email/e', 'email', SHAPE)
        .map((p) => `${p.file} ${p.message}`);

    it('needs the layout it names', () => {
      expect(messages(email({ 'email/e/template.json': '{"layout":"fancy"}' }))).toContain(
        'email/e/template.json layout "fancy" not found in layouts/',
      );
    });

    it('needs an unsubscribe link in the layout or the HTML', () => {
      const dir = email({ 'layouts/default.html.hbs': '{{{@content}}}' });
      expect(messages(dir)).toEqual([
        'email/e/html.hbs an email needs an unsubscribe link: add {{unsubscribeUrl}} to html.hbs or to the layout',
      ]);
      const inHtml = email({
        'layouts/default.html.hbs': '{{{@content}}}',
        'email/e/html.hbs': '<a href="{{unsubscribeUrl}}">u</a>',
      });
      expect(messages(inHtml)).toEqual([]);
    });

    it('needs layouts to insert @content unescaped', () => {
      const missing = email({ 'layouts/default.html.hbs': '<div>{{unsubscribeUrl}}</div>' });
      expect(messages(missing)).toContain(
        'layouts/default.html.hbs a layout must insert the message with {{{@content}}}',
      );
      const escaped = email({ 'layouts/default.html.hbs': '{{@content}} {{unsubscribeUrl}}' });
      expect(messages(escaped)).toEqual([
        'layouts/default.html.hbs insert @content with {{{@content}}} so its HTML is kept',
      ]);
    });

    it('checks layouts against the context shape too', () => {
      const dir = email({
        'layouts/default.html.hbs': '{{{@content}}} {{unsubscribeUrl}} {{user.lastName}} {{@subject}}',
      });
      expect(messages(dir)).toEqual([
        'layouts/default.html.hbs unknown variable "user.lastName": user has no field "lastName"',
      ]);
    });

    it('accepts an email without a layout when its HTML carries the unsubscribe link', () => {
      const dir = email({ 'email/e/template.json': '{"layout": null}', 'email/e/html.hbs': '{{unsubscribeUrl}}' });
      expect(messages(dir)).toEqual([]);
    });
  });

  it('says when a template is checked for the wrong channel', () => {
    const dir = templateTree({ 'push/t/title.hbs': 'T', 'push/t/body.hbs': 'B' });
    expect(templatesService(dir).check('push/t', 'email', SHAPE)).toEqual([
      expect.objectContaining({ message: 'push/t is a push template, not email' }),
    ]);
  });

  it('refuses to render a template with structural problems, listing them', () => {
    const dir = templateTree({ 'push/t/title.hbs': '{{plurl count other="#"}}', 'push/t/body.hbs': 'B' });
    const render = () =>
      templatesService(dir).render('push/t', 'push', { count: 1 }, { locale: 'en', timeZone: 'UTC' });
    expect(render).toThrow(
      expect.objectContaining({
        code: 'templates.invalid',
        problems: [expect.objectContaining({ file: 'push/t/title.hbs', line: 1, column: 3 })],
      }),
    );
    expect(render).toThrow(/push\/t\/title\.hbs:1:3 unknown helper "plurl"/);
  });
});
