#!/usr/bin/env node
import 'reflect-metadata';
import { buildProgram } from './modules/cli/program';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
