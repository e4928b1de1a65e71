import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from './commands';

/** The `journeycast` command tree; each command file registers itself under its noun. */
export function buildProgram(): Command {
  const program = new Command('journeycast')
    .description(
      'Journey-aware notification campaigns: import events, build and judge journeys, train the ranker, manage keys, campaigns and runs, report experiments.',
    )
    .version(packageVersion(), '-V, --version', 'print the version of Journeycast')
    .showHelpAfterError();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Finds or creates a noun group such as `journeys` or `events`. */
export function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

/** The installed package's version (src/ and dist/ sit at the same depth below package.json). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string })
    .version;
}
