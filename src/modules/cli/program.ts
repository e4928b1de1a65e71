import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_FILES, commandFilesFor } from './commands';

/**
 * The `journeycast` command tree; each command file registers itself under its noun. Given the command line
 * (the arguments after `journeycast`), only the files of the command it names are loaded (see
 * `commandFilesFor`); without it, every command is.
 */
export function buildProgram(args?: readonly string[]): Command {
  const program = new Command('journeycast')
    .description(
      'Journey-aware notification campaigns: import events, build and judge journeys, train the ranker, manage keys, campaigns and runs, report experiments.',
    )
    .version(packageVersion(), '-V, --version', 'print the version of Journeycast')
    .showHelpAfterError();
  const groups = Object.keys(GROUPS) as CommandGroup[];
  for (const name of groups) group(program, name);
  for (const file of args ? commandFilesFor(args, groups) : COMMAND_FILES) file.load()(program);
  return program;
}

/**
 * The noun groups, as `journeycast --help` lists them with their commands (each command's own help says what
 * it does). One place, whichever command file registers a group first.
 */
const GROUPS = {
  events: 'Activity events',
  journeys: 'Journeys',
  ranker: 'The journey ranker',
  keys: 'API keys for the HTTP API',
  campaigns: 'Campaigns as code',
  runs: 'Campaign runs',
  experiments: 'Experiment reports',
  suppressions: 'The email suppression list',
} as const;

export type CommandGroup = keyof typeof GROUPS;

/** A group's line in the top-level help: its label and its commands, from the list of command files. */
function groupDescription(name: CommandGroup): string {
  const verbs = COMMAND_FILES.flatMap((f) => f.commands.filter((c) => c.startsWith(`${name} `)));
  return `${GROUPS[name]}: ${verbs.map((c) => c.slice(name.length + 1)).join(', ')}`;
}

/** Finds or creates a noun group such as `journeys` or `events`. */
export function group(program: Command, name: CommandGroup): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(groupDescription(name));
}

/** The installed package's version (src/ and dist/ sit at the same depth below package.json). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string })
    .version;
}
