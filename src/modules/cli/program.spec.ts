import { Command, InvalidArgumentError } from 'commander';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNC_ACTIONS } from '../campaigns/domain/campaign-state';
import { CommandFileError, describeFileError, requireWritableDirectory } from './command-files';
import { COMMAND_FILES } from './commands';
import { runsListed } from './commands/campaign-runs.command';
import { batchSize } from './commands/events-import.command';
import { instantOption } from './option-values';
import { buildProgram } from './program';

describe('journeycast program', () => {
  it('answers --version with the package version', () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    const program = buildProgram().exitOverride();
    let printed = '';
    program.configureOutput({ writeOut: (text) => (printed += text) });
    expect(() => program.parse(['node', 'journeycast', '--version'])).toThrow(version);
    expect(printed.trim()).toBe(version);
  });
});

describe('journeycast command files', () => {
  const registered = (program: Command) =>
    program.commands.flatMap((group) => group.commands.map((c) => `${group.name()} ${c.name()}`)).sort();

  it('lists every command each file registers, and no other', () => {
    for (const file of COMMAND_FILES) {
      const program = new Command('journeycast');
      file.load()(program);
      expect(registered(program)).toEqual([...file.commands].sort());
    }
    expect(COMMAND_FILES.flatMap((f) => f.commands).sort()).toEqual(registered(buildProgram()));
  });

  // The files of other commands (and the app they open) are not loaded: the offline build starts in a tenth
  // of a second where loading every command took a second.
  it('loads only the files of the command a command line names', () => {
    expect(registered(buildProgram(['journeys', 'build', '--events', 'e.jsonl']))).toEqual(['journeys build']);
    expect(registered(buildProgram(['campaigns', 'pause', 'c1']))).toEqual([
      'campaigns activate',
      'campaigns list',
      'campaigns pause',
      'campaigns sync',
    ]);
    expect(registered(buildProgram(['--version']))).toEqual([]);
    expect(registered(buildProgram([]))).toEqual([]);
    // A group's help lists all its commands; anything else gets the whole program and commander's own answer.
    expect(registered(buildProgram(['keys', '--help']))).toEqual(['keys create', 'keys list', 'keys revoke']);
    expect(registered(buildProgram(['help', 'runs']))).toEqual(registered(buildProgram()));
    expect(registered(buildProgram(['journey', 'build']))).toEqual(registered(buildProgram()));
  });

  it('lists every group at the top level whatever it loads', () => {
    const groups = (program: Command) => program.commands.map((c) => c.name()).sort();
    expect(groups(buildProgram(['--version']))).toEqual(groups(buildProgram()));
  });
});

describe('journeycast --help', () => {
  // A group's line in `journeycast --help` names its commands: it may promise no command that does not exist
  // and leave out none that does.
  it.each(buildProgram().commands.map((c) => [c.name(), c] as const))('the %s group names its commands', (_, group) => {
    const named = group
      .description()
      .replace(/^[^:]*: /, '')
      .split(', ');
    expect(named.sort()).toEqual(group.commands.map((c) => c.name()).sort());
  });
});

describe('journeycast campaigns sync --help', () => {
  // The help names what the command prints for a campaign, in the same words.
  it('describes each campaign with the words sync prints, and no others', () => {
    const campaigns = buildProgram(['campaigns', 'sync']).commands.find((c) => c.name() === 'campaigns')!;
    const description = campaigns.commands.find((c) => c.name() === 'sync')!.description();
    for (const action of SYNC_ACTIONS) expect(description).toMatch(new RegExp(`\\b${action}\\b`));
    expect(description).not.toMatch(/\b(new|changed|removed)\b/);
  });
});

describe('journeycast commands that read or write files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jc-program-'));
  const missing = join(dir, 'missing.jsonl');
  const present = join(dir, 'present.jsonl');
  writeFileSync(present, '\n');
  const nowhere = join(dir, 'no-such-dir', 'out.json');
  const now = '2026-01-01T00:00:00Z';

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const named = (args: string[]) => args.map((a) => a.replace(dir, '<dir>')).join(' ');
  const isDirectory = (flag: string) => `Cannot write ${dir} (${flag}): it is a directory, not a file.`;

  // Every check runs before a command opens a database or reads its input, so none of these needs a server.
  it.each(
    (
      [
        [['events', 'import', missing], `Cannot read ${missing}: no such file or directory.`],
        [['events', 'import', dir], `Cannot read ${dir}: it is a directory, not a file.`],
        [
          ['journeys', 'build', '--events', missing, '--now', now, '--out', present],
          `Cannot read ${missing} (--events)`,
        ],
        [['journeys', 'build', '--events', present, '--now', now, '--out', present, '--model', missing], '(--model)'],
        [['journeys', 'build', '--events', present, '--now', now, '--out', present, '--config', missing], '(--config)'],
        [['journeys', 'build', '--events', present, '--now', now, '--out', present, '--ranker', missing], '(--ranker)'],
        [['journeys', 'build', '--events', present, '--now', now, '--out', nowhere], `Cannot write ${nowhere} (--out)`],
        [['journeys', 'judge', '--users', missing], `Cannot read ${missing} (--users)`],
        [['journeys', 'judge', '--labels', missing], `Cannot read ${missing} (--labels)`],
        [['ranker', 'train', '--examples', missing, '--out', present], `Cannot read ${missing} (--examples)`],
        [['ranker', 'train', '--examples', present, '--out', present, '--annotations', missing], '(--annotations)'],
        [['ranker', 'train', '--examples', present, '--out', nowhere], `Cannot write ${nowhere} (--out)`],
        [['campaigns', 'validate', missing], `Cannot read ${missing}: no such file or directory.`],
        [['campaigns', 'schema', '--out', nowhere], 'the directory'],
        [['experiments', 'report', 'exp-1', '--out', nowhere], `Cannot write ${nowhere} (--out)`],
        // An output option naming an existing directory is refused up front too, not after the work.
        [['journeys', 'build', '--events', present, '--now', now, '--out', dir], isDirectory('--out')],
        [
          ['journeys', 'build', '--events', present, '--now', now, '--out', present, '--save-model', dir],
          isDirectory('--save-model'),
        ],
        [['journeys', 'judge', '--out', dir], isDirectory('--out')],
        [['ranker', 'train', '--examples', present, '--out', dir], isDirectory('--out')],
        [['campaigns', 'schema', '--out', dir], isDirectory('--out')],
        [['experiments', 'report', 'exp-1', '--out', dir], isDirectory('--out')],
        [['journeys', 'build', '--events', present, '--now', now, '--out', join(present, 'x')], '(--out): a part of'],
        [
          ['experiments', 'write-reports', '--dir', present],
          `Cannot write into ${present} (--dir): it is not a directory.`,
        ],
        [['experiments', 'write-reports', '--dir', join(present, 'reports')], '(--dir): a part of the path is not a'],
      ] as Array<[string[], string]>
    ).map(([args, message]) => [named(args), args, message] as const),
  )('%s fails with one sentence', async (_name, args, message) => {
    const run = buildProgram()
      .exitOverride()
      .parseAsync(['node', 'journeycast', ...args]);
    await expect(run).rejects.toThrow(CommandFileError);
    await expect(run).rejects.toThrow(message);
  });

  it('accepts a folder to write into that exists, or whose nearest existing parent is a writable directory', () => {
    expect(() => requireWritableDirectory(dir, '--dir')).not.toThrow();
    expect(() => requireWritableDirectory(join(dir, 'reports', 'daily'), '--dir')).not.toThrow();
    expect(() => requireWritableDirectory(undefined, '--dir')).not.toThrow();
  });

  it('says in one sentence that a folder cannot be created where a file is', async () => {
    const exists = await mkdir(present, { recursive: true }).catch((error: unknown) => error);
    expect(describeFileError(exists)).toBe(`Cannot open ${present}: a file of that name already exists.`);
    const under = await mkdir(join(present, 'reports'), { recursive: true }).catch((error: unknown) => error);
    expect(describeFileError(under)).toBe(
      `Cannot open ${join(present, 'reports')}: a part of the path is not a directory.`,
    );
  });

  it('turns a file-system error that escaped a command into one sentence, and leaves other errors alone', () => {
    const error = Object.assign(new Error(`ENOENT: no such file or directory, open '${missing}'`), {
      code: 'ENOENT',
      path: missing,
    });
    expect(describeFileError(error)).toBe(`Cannot open ${missing}: no such file or directory.`);
    expect(describeFileError(new Error('--now must be an ISO-8601 date'))).toBeUndefined();
  });
});

describe('journeycast events import --batch-size', () => {
  // Commander prints the refusal with the option's name and exits 1 before the command reads its file.
  it.each(['0', '-5', '1.5', 'ten', '10001', '', '1e3'])('refuses %j with the accepted range', (value) => {
    expect(() => batchSize(value)).toThrow(InvalidArgumentError);
    expect(() => batchSize(value)).toThrow('must be a whole number from 1 to 10000');
  });

  it('accepts a whole number in range', () => {
    expect(batchSize('1')).toBe(1);
    expect(batchSize('250')).toBe(250);
    expect(batchSize('10000')).toBe(10_000);
  });
});

describe('journeycast instant options (--now, --as-of)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jc-instants-'));
  const present = join(dir, 'present.jsonl');
  writeFileSync(present, '\n');
  const out = join(dir, 'out.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The HTTP API refuses an instant without a time zone; `new Date()` would read it in this machine's zone.
  it.each([
    [['journeys', 'build', '--events', present, '--now', '2026-03-01T12:00', '--out', out], '--now'],
    [['ranker', 'train', '--examples', present, '--out', out, '--now', '2026-06-01T00:00:00'], '--now'],
    [['campaigns', 'preview', 'c1', '--user', 'u1', '--now', '2026-03-01 12:00:00Z'], '--now'],
    [['experiments', 'report', 'exp-1', '--as-of', '2026-03-01'], '--as-of'],
    [['journeys', 'build', '--events', present, '--now', 'yesterday', '--out', out], '--now'],
  ])('%j is refused in one sentence naming the option', async (args, flag) => {
    const run = buildProgram()
      .exitOverride()
      .parseAsync(['node', 'journeycast', ...args]);
    await expect(run).rejects.toThrow(
      new Error(`${flag} must be an ISO-8601 instant with a time zone, such as 2026-03-01T12:00:00Z.`),
    );
  });

  it('reads an instant with a time zone as the HTTP API does', () => {
    expect(instantOption('--now')('2026-03-01T12:00:00Z')).toEqual(new Date(Date.UTC(2026, 2, 1, 12)));
    expect(instantOption('--now')('2026-03-01T12:00:00.250+01:00')).toEqual(
      new Date(Date.UTC(2026, 2, 1, 11, 0, 0, 250)),
    );
    expect(() => instantOption('--now')('2026-02-30T12:00:00Z')).toThrow('--now must be an ISO-8601 instant');
  });

  it('refuses an instant before any activity the product keeps, as the HTTP API does', () => {
    expect(() => instantOption('--as-of')('0001-01-01T00:00:00Z')).toThrow(
      '--as-of must be on or after 2000-01-01T00:00:00Z.',
    );
    expect(instantOption('--now')('2000-01-01T00:00:00Z')).toEqual(new Date(Date.UTC(2000, 0, 1)));
  });
});

describe('journeycast runs list --limit', () => {
  it('takes the range the API takes, so the CLI never lists more runs than GET /v1/campaign-runs would', () => {
    expect(runsListed('1')).toBe(1);
    expect(runsListed('200')).toBe(200);
    for (const value of ['0', '201', '100000', 'all', '2.5']) {
      expect(() => runsListed(value)).toThrow('must be a whole number from 1 to 200');
    }
  });
});
