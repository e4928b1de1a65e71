import { Command } from 'commander';

/** Every CLI command registers itself here; one line per command file. */
export const COMMANDS: Array<(program: Command) => void> = [];
