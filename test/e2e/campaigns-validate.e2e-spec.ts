import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journeycast } from './support/cli';

// One fresh Node process loading the whole CLI: seconds alone, much more on shared cores.
jest.setTimeout(180_000);

const campaign = (id: string, lines: string[]) =>
  [
    `id: ${id}`,
    `name: ${id}`,
    'owner: growth',
    'channel: push',
    'schedule: { type: local-hour, hour: 18 }',
    'copy: { variant: journey-template }',
    ...lines,
    '',
  ].join('\n');

/**
 * Campaigns that every message of would fail at the provider: a webhook URL with credentials, which
 * fetch refuses to send, and a push template whose data.json uses a key FCM reserves.
 */
describe('journeycast campaigns validate: definitions no message of could be delivered', () => {
  const root = mkdtempSync(join(tmpdir(), 'jc-e2e-validate-'));
  const campaigns = join(root, 'campaigns');
  const templates = join(root, 'templates');

  beforeAll(() => {
    mkdirSync(campaigns);
    cpSync('templates', templates, { recursive: true });
    mkdirSync(join(templates, 'push', 'reserved-data'));
    writeFileSync(join(templates, 'push', 'reserved-data', 'title.hbs'), 'Hi');
    writeFileSync(join(templates, 'push', 'reserved-data', 'body.hbs'), 'Hello');
    writeFileSync(join(templates, 'push', 'reserved-data', 'data.json'), '{\n  "from": "{{campaign.id}}"\n}\n');
    writeFileSync(
      join(campaigns, 'crm-hook.yaml'),
      campaign('crm-hook', [
        'template: push/journey-nudge',
        'webhook: { url: "https://crm:s3cret@crm.example.com/hooks/journeycast" }',
      ]),
    );
    writeFileSync(join(campaigns, 'fcm-data.yaml'), campaign('fcm-data', ['template: push/reserved-data']));
    writeFileSync(
      join(campaigns, 'never-late.yaml'),
      campaign('never-late', ['template: push/journey-nudge']).replace(
        'schedule: { type: local-hour, hour: 18 }',
        'schedule: { type: local-hour, hour: 18, maxLateMinutes: 0 }',
      ),
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const validate = (file: string) =>
    journeycast(['campaigns', 'validate', join(campaigns, file)], {
      CAMPAIGNS_DIR: campaigns,
      TEMPLATES_DIR: templates,
    });

  it('reports a webhook URL with a user name and password at webhook.url, exit 2', async () => {
    const result = await validate('crm-hook.yaml');
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/crm-hook\.yaml:8:\d+ webhook\.url: webhook\.url must not carry a user name or password/),
    ]);
    expect(result.stderr).toContain('1 file(s), 1 problem(s)');
    expect(result.code).toBe(2);
  });

  it('reports a data key FCM reserves at its line in data.json, naming the campaign template, exit 2', async () => {
    const result = await validate('fcm-data.yaml');
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(
        /templates\/push\/reserved-data\/data\.json:2:\d+ template \(push\/reserved-data\): data key "from" is reserved by FCM/,
      ),
    ]);
    expect(result.stderr).toContain('1 file(s), 1 problem(s)');
    expect(result.code).toBe(2);
  });

  it('reports a lateness limit out of range at schedule.maxLateMinutes, with its line and column, exit 2', async () => {
    const result = await validate('never-late.yaml');
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(
        /never-late\.yaml:5:57 schedule\.maxLateMinutes: must be a whole number of minutes from 1 to 1440 \(a day\), not 0$/,
      ),
    ]);
    expect(result.stderr).toContain('1 file(s), 1 problem(s)');
    expect(result.code).toBe(2);
  });
});

/** A growth engineer's slips in a campaign file: each line names the field and the value written there. */
describe('journeycast campaigns validate: a value the schema refuses is quoted beside the field', () => {
  const root = mkdtempSync(join(tmpdir(), 'jc-e2e-validate-values-'));
  const campaigns = join(root, 'campaigns');

  beforeAll(() => {
    mkdirSync(campaigns);
    writeFileSync(
      join(campaigns, 'slips.yaml'),
      [
        'id: slips',
        'name: Slips',
        'owner: growth',
        'channel: emial',
        'schedule: { type: local-hour, hour: 18, days: [tue, thursday] }',
        'copy: { variant: journey-template }',
        'template: email/weekly-digest',
        'frequencyCaps: [{ max: 1, withinHours: 24, scope: campain }]',
        'quietHours: { start: "25:00", end: "08:00", whenQuiet: later }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names the value after each message, exit 2', async () => {
    const result = await journeycast(['campaigns', 'validate', join(campaigns, 'slips.yaml')], {
      CAMPAIGNS_DIR: campaigns,
    });
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/slips\.yaml:4:10 channel: .*expected one of "push"\|"email", not "emial"$/),
      expect.stringMatching(/slips\.yaml:5:\d+ schedule\.days\[1\]: .*"sun", not "thursday"$/),
      expect.stringMatching(/slips\.yaml:8:\d+ frequencyCaps\[0\]\.scope: .*"channel", not "campain"$/),
      expect.stringMatching(/slips\.yaml:9:\d+ quietHours\.start: must be a time as HH:MM, not "25:00"$/),
      expect.stringMatching(/slips\.yaml:9:\d+ quietHours\.whenQuiet: .*"drop", not "later"$/),
    ]);
    expect(result.code).toBe(2);
  });
});
