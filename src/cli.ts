#!/usr/bin/env node
import 'reflect-metadata';
import { describeFileError } from './modules/cli/command-files';
import { buildProgram } from './modules/cli/program';

buildProgram(process.argv.slice(2))
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    // A file a command could not open reads as one sentence, not as a raw errno message.
    console.error(describeFileError(error) ?? (error instanceof Error ? error.message : error));
    process.exit(1);
  });
