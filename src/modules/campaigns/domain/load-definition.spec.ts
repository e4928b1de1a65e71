import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { campaignJsonSchema } from './campaign-definition';
import { DefinitionProblem, loadDefinition } from './load-definition';

const ROOT = join(__dirname, '..', '..', '..', '..');
const example = (name: string) => readFileSync(join(ROOT, 'campaigns', name), 'utf8');

const MINIMAL = `id: nudge
name: Nudge
owner: growth
channel: push
schedule:
  type: local-hour
  hour: 18
template: push/journey-nudge
copy:
  variant: journey-template
`;

function problems(text: string, file = 'nudge.yaml'): DefinitionProblem[] {
  const loaded = loadDefinition(file, text);
  if (loaded.ok) throw new Error('expected problems');
  return loaded.problems;
}

describe('loadDefinition', () => {
  it.each(['ongoing-journey-push.yaml', 'weekly-journeys-digest.yaml'])('accepts the example %s', (name) => {
    const loaded = loadDefinition(name, example(name));
    expect(loaded.ok && loaded.definition.id).toBe(name.replace('.yaml', ''));
  });

  it('fills defaults', () => {
    const loaded = loadDefinition('nudge.yaml', MINIMAL);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.definition.content).toEqual({
      topK: 1,
      diversificationPenalty: 0.95,
      includeRelated: false,
      endedJourneys: 'when-none-ongoing',
    });
    expect(loaded.definition.copy).toMatchObject({ tone: 'friendly', allowUrls: false, allowHtml: false });
    expect(loaded.definition.frequencyCaps).toEqual([]);
  });

  it('reports YAML syntax errors with their line and column', () => {
    expect(problems('id: nudge\nname: [unclosed\nowner: x\n')).toEqual([
      expect.objectContaining({ file: 'nudge.yaml', line: 3, kind: 'yaml', path: '' }),
    ]);
    expect(problems('id: nudge\nid: again\n')[0]).toMatchObject({ line: 2, kind: 'yaml' });
  });

  it.each([
    ['an unknown field, at its key', MINIMAL.replace('owner: growth', 'owner: growth\ncolour: red'), 4, 1, 'colour'],
    ['a wrong enum value, at the value', MINIMAL.replace('journey-template', 'journey-llmx'), 10, 12, 'copy.variant'],
    ['a missing field, at its parent', MINIMAL.replace('  hour: 18\n', ''), 6, 3, 'schedule.hour'],
    [
      'a nested list item',
      `${MINIMAL}experiment:\n  variants:\n    - { id: a, weight: 1, copy: interest }\n    - { id: b, weight: -2, copy: journey-llm }\n  metrics: { primary: click-rate }\n`,
      14,
      24,
      'experiment.variants[1].weight',
    ],
  ])('reports %s with the field path', (_what, text, line, column, path) => {
    expect(problems(text)).toContainEqual(expect.objectContaining({ line, column, path, kind: 'schema' }));
  });

  const base = {
    id: 'nudge',
    name: 'Nudge',
    owner: 'growth',
    channel: 'push',
    schedule: { type: 'local-hour', hour: 18 },
    template: 'push/journey-nudge',
    copy: { variant: 'journey-template' },
  };
  const arms = [
    { id: 'a', weight: 1, copy: 'interest' },
    { id: 'b', weight: 1, copy: 'journey-llm' },
  ];

  it.each([
    [
      'a cron pattern out of range',
      { schedule: { type: 'cron', cron: '0 99 * * *', timeZone: 'UTC' } },
      'schedule.cron',
    ],
    [
      'a cron pattern with no date to fire on (the 31st of February or April)',
      { schedule: { type: 'cron', cron: '0 9 31 2,4 *', timeZone: 'Europe/Paris' } },
      'schedule.cron',
    ],
    [
      'an unknown time zone',
      { schedule: { type: 'cron', cron: '0 9 * * 1', timeZone: 'Mars/Base' } },
      'schedule.timeZone',
    ],
    ['a template of the other channel', { template: 'email/weekly-digest' }, 'template'],
    [
      'an email metric on push',
      { experiment: { variants: arms, metrics: { primary: 'email-open-rate' } } },
      'experiment.metrics.primary',
    ],
    [
      'a metric listed twice',
      { experiment: { variants: arms, metrics: { primary: 'click-rate', guardrails: ['click-rate'] } } },
      'experiment.metrics.guardrails[0]',
    ],
    [
      'duplicate variant ids',
      { experiment: { variants: [arms[0], { ...arms[1], id: 'a' }], metrics: { primary: 'click-rate' } } },
      'experiment.variants[1].id',
    ],
    ['an unknown prompt version', { copy: { variant: 'journey-llm', promptVersion: 'copy-v9' } }, 'copy.promptVersion'],
    [
      'an email limit on push',
      { copy: { variant: 'journey-llm', limits: { subjectMaxChars: 40 } } },
      'copy.limits.subjectMaxChars',
    ],
    ['an empty quiet window', { quietHours: { start: '22:00', end: '22:00' } }, 'quietHours.end'],
    [
      'a local hour its own quiet hours drop',
      { quietHours: { start: '17:00', end: '19:00', whenQuiet: 'drop' } },
      'schedule.hour',
    ],
    [
      'a local hour its own quiet hours hold past maxLateMinutes',
      { schedule: { type: 'local-hour', hour: 22 }, quietHours: { start: '21:00', end: '08:00' } },
      'schedule.hour',
    ],
  ])('rejects %s', (_what, fields, path) => {
    const found = problems(stringify({ ...base, ...fields }));
    expect(found).toContainEqual(expect.objectContaining({ path, kind: 'rule' }));
    expect(found.every((p) => p.line > 1 && p.column >= 1)).toBe(true);
  });

  it('says why a local hour inside its quiet hours sends nothing, and accepts one whose wait the limit allows', () => {
    const night = { start: '21:00', end: '08:00' };
    expect(
      problems(stringify({ ...base, schedule: { type: 'local-hour', hour: 22, minute: 30 }, quietHours: night })),
    ).toContainEqual(
      expect.objectContaining({
        path: 'schedule.hour',
        message:
          '22:30 is inside quietHours 21:00-08:00: every message would wait 570 minutes, more than schedule.maxLateMinutes (120), and none would be sent',
      }),
    );
    // 07:00, an hour before the night ends, is within the default 120 minutes; 22:30 with a day's limit too.
    for (const schedule of [
      { type: 'local-hour', hour: 7 },
      { type: 'local-hour', hour: 22, minute: 30, maxLateMinutes: 1440 },
      { type: 'local-hour', hour: 8 },
    ]) {
      expect(loadDefinition('nudge.yaml', stringify({ ...base, schedule, quietHours: night })).ok).toBe(true);
    }
  });

  it.each([
    ['zero', '0'],
    ['a fraction', '30.5'],
    ['more than a day', '1441'],
    ['text', 'soon'],
  ])('rejects %s as schedule.maxLateMinutes, at the value', (_what, value) => {
    expect(problems(MINIMAL.replace('  hour: 18\n', `  hour: 18\n  maxLateMinutes: ${value}\n`))).toContainEqual(
      expect.objectContaining({
        kind: 'schema',
        path: 'schedule.maxLateMinutes',
        line: 8,
        column: 19,
        message: expect.stringContaining('must be a whole number of minutes from 1 to 1440'),
      }),
    );
  });

  it('limits how late a local-hour message may go out to 120 minutes unless the schedule says', () => {
    const loaded = loadDefinition('nudge.yaml', MINIMAL);
    const longer = loadDefinition(
      'nudge.yaml',
      MINIMAL.replace('  hour: 18\n', '  hour: 18\n  maxLateMinutes: 1440\n'),
    );
    if (!loaded.ok || !longer.ok) throw new Error('expected definitions');
    expect(loaded.definition.schedule).toMatchObject({ maxLateMinutes: 120 });
    expect(longer.definition.schedule).toMatchObject({ maxLateMinutes: 1440 });
  });

  it.each([
    ['cron', '  type: cron\n  cron: "0 9 * * 1"\n  timeZone: Europe/Paris\n'],
    ['once', '  type: once\n  at: 2031-06-01T09:00:00Z\n'],
  ])('limits how late a %s firing may start its run to 120 minutes unless the schedule says', (_type, schedule) => {
    const text = MINIMAL.replace('  type: local-hour\n  hour: 18\n', schedule);
    const loaded = loadDefinition('nudge.yaml', text);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.definition.schedule).toMatchObject({ maxLateMinutes: 120 });
    const fifteen = loadDefinition('nudge.yaml', text.replace(schedule, `${schedule}  maxLateMinutes: 15\n`));
    expect(fifteen.ok && fifteen.definition.schedule).toMatchObject({ maxLateMinutes: 15 });
    expect(problems(text.replace(schedule, `${schedule}  maxLateMinutes: 1441\n`))).toContainEqual(
      expect.objectContaining({
        kind: 'schema',
        path: 'schedule.maxLateMinutes',
        message: expect.stringContaining('must be a whole number of minutes from 1 to 1440'),
      }),
    );
  });

  it('requires the id to match the file name', () => {
    expect(problems(MINIMAL, 'campaigns/other.yaml')).toEqual([
      expect.objectContaining({ path: 'id', line: 1, column: 5, message: expect.stringContaining('other') }),
    ]);
  });

  it.each([
    ['a push', base],
    ['an email', { ...base, channel: 'email', template: 'email/weekly-digest' }],
  ])('accepts a webhook URL on %s campaign', (_channel, campaign) => {
    const loaded = loadDefinition(
      'nudge.yaml',
      stringify({ ...campaign, webhook: { url: 'https://crm.example.com/hooks/jc' } }),
    );
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.definition.webhook).toEqual({ url: 'https://crm.example.com/hooks/jc' });
  });

  it.each([
    ['a relative URL', { url: '/hooks/jc' }],
    ['an ftp URL', { url: 'ftp://crm.example.com/hooks' }],
    ['no URL', {}],
    ['a URL that is not text', { url: 42 }],
  ])('refuses a webhook with %s, naming webhook.url', (_what, webhook) => {
    expect(problems(stringify({ ...base, webhook }))).toEqual([
      expect.objectContaining({ path: 'webhook.url', kind: 'schema', message: expect.stringContaining('webhook.url') }),
    ]);
  });
  it.each([
    ['a user name and password', 'https://crm:s3cret@crm.example.com/hooks/jc'],
    ['a user name only', 'http://crm@crm.example.com/hooks/jc'],
  ])('refuses a webhook URL with %s, naming webhook.url', (_what, url) => {
    expect(problems(stringify({ ...base, webhook: { url } }))).toEqual([
      expect.objectContaining({
        path: 'webhook.url',
        kind: 'schema',
        message: expect.stringMatching(/must not carry a user name or password.*WEBHOOK_SIGNING_SECRET/),
      }),
    ]);
  });
});

describe('campaign.schema.json', () => {
  it('is the JSON Schema generated from the schema the loader validates with', () => {
    const onDisk = JSON.parse(readFileSync(join(ROOT, 'campaigns', 'campaign.schema.json'), 'utf8')) as unknown;
    // Regenerate with: node dist/cli.js campaigns schema --out campaigns/campaign.schema.json
    expect(onDisk).toEqual(campaignJsonSchema());
  });
});
