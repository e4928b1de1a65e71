import { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * One command file: the commands it registers ("group verb") and how to load it. Files are loaded only when
 * a command of theirs runs (or help lists them): the commands that open the app import Nest, mongoose and
 * Bull, about a second of start-up that `journeys build`, which needs none of them, should not pay.
 */
export interface CommandFile {
  commands: readonly string[];
  load(): Register;
}

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand, synchronously, while commander is set up */
/**
 * Every CLI command file, one entry per file, with each command it registers: the top-level help names a
 * group's commands in this order.
 */
export const COMMAND_FILES: readonly CommandFile[] = [
  {
    commands: ['ranker train'],
    load: () =>
      (require('./ranker-train.command') as typeof import('./ranker-train.command')).registerTrainRankerCommand,
  },
  {
    commands: ['ranker retrain'],
    load: () =>
      (require('./ranker-retrain.command') as typeof import('./ranker-retrain.command')).registerRetrainRankerCommand,
  },
  {
    commands: ['events import'],
    load: () =>
      (require('./events-import.command') as typeof import('./events-import.command')).registerImportEventsCommand,
  },
  {
    commands: ['keys create'],
    load: () => (require('./keys-create.command') as typeof import('./keys-create.command')).registerCreateKeyCommand,
  },
  {
    commands: ['keys list'],
    load: () => (require('./keys-list.command') as typeof import('./keys-list.command')).registerListKeysCommand,
  },
  {
    commands: ['keys revoke'],
    load: () => (require('./keys-revoke.command') as typeof import('./keys-revoke.command')).registerRevokeKeyCommand,
  },
  {
    commands: ['journeys build'],
    load: () =>
      (require('./journeys-build.command') as typeof import('./journeys-build.command')).registerBuildJourneysCommand,
  },
  {
    commands: ['journeys rebuild'],
    load: () =>
      (require('./journeys-rebuild.command') as typeof import('./journeys-rebuild.command'))
        .registerRebuildJourneysCommand,
  },
  {
    commands: ['journeys retrain'],
    load: () =>
      (require('./journeys-retrain.command') as typeof import('./journeys-retrain.command'))
        .registerRetrainJourneysCommand,
  },
  {
    commands: ['journeys judge'],
    load: () =>
      (require('./journeys-judge.command') as typeof import('./journeys-judge.command')).registerJudgeJourneysCommand,
  },
  {
    commands: ['campaigns validate', 'campaigns schema'],
    load: () =>
      (require('./campaigns-definitions.command') as typeof import('./campaigns-definitions.command'))
        .registerCampaignDefinitionCommands,
  },
  {
    commands: ['campaigns sync', 'campaigns list', 'campaigns activate', 'campaigns pause'],
    load: () =>
      (require('./campaigns-state.command') as typeof import('./campaigns-state.command'))
        .registerCampaignStateCommands,
  },
  {
    commands: ['campaigns preview', 'campaigns estimate'],
    load: () =>
      (require('./campaigns-preview.command') as typeof import('./campaigns-preview.command'))
        .registerCampaignPreviewCommands,
  },
  {
    commands: ['experiments list', 'experiments report', 'experiments write-reports'],
    load: () =>
      (require('./experiments.command') as typeof import('./experiments.command')).registerExperimentsCommands,
  },
  {
    commands: ['campaigns run', 'runs list', 'runs show', 'runs pause', 'runs resume', 'runs cancel', 'runs explain'],
    load: () =>
      (require('./campaign-runs.command') as typeof import('./campaign-runs.command')).registerCampaignRunCommands,
  },
  {
    commands: ['suppressions add', 'suppressions remove', 'suppressions show', 'suppressions import'],
    load: () =>
      (require('./suppressions.command') as typeof import('./suppressions.command')).registerSuppressionCommands,
  },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The files to load for a command line (the arguments after `journeycast`): those of the command it names
 * ("journeys build"); every file of a group named without a known command (its help); none without a group
 * (`--version`, the top-level help, which lists the groups alone); every file otherwise (`help <group>`,
 * a misspelt group), so commander's own answers stay whole.
 */
export function commandFilesFor(args: readonly string[], groups: readonly string[]): readonly CommandFile[] {
  const words = args.filter((a) => !a.startsWith('-'));
  if (words.length === 0) return [];
  const [noun, verb] = words;
  if (!groups.includes(noun)) return COMMAND_FILES;
  const named = COMMAND_FILES.filter((f) => f.commands.includes(`${noun} ${verb}`));
  return named.length > 0 ? named : COMMAND_FILES.filter((f) => f.commands.some((c) => c.startsWith(`${noun} `)));
}
