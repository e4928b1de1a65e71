import { Command } from 'commander';
import { registerBuildJourneysCommand } from './journeys-build.command';
import { registerTrainRankerCommand } from './ranker-train.command';

/** Every CLI command registers itself here; one line per command file. */
export const COMMANDS: Array<(program: Command) => void> = [
  registerTrainRankerCommand,
  registerBuildJourneysCommand,
];
