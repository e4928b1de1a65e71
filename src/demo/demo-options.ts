import { parseArgs } from 'node:util';
import { positiveInteger as positiveIntegerValue } from '../modules/cli/option-values';

export const DEMO_USAGE = [
  'Usage: npm run demo -- [--users <n>] [--seed <n>] [--data <folder>]',
  '',
  'Runs the whole product on the embedded defaults with synthetic users and checks the experiment reports.',
  '',
  'Options:',
  '  --users <n>      synthetic users (default: 300)',
  '  --seed <n>       seed of the synthetic population and of the simulated readers (default: 7)',
  '  --data <folder>  where the database, outbox and reports go, emptied first; a folder the demo',
  '                   did not make is refused (default: ./data/demo)',
  '  -h, --help       print this help',
].join('\n');

/** A mistake in how the demo was started: shown as one message, without a stack trace. */
export class DemoUsageError extends Error {}

export interface DemoOptions {
  help: boolean;
  users: number;
  seed: number;
  /** The `--data` folder when one was given. */
  data?: string;
}

/** The CLI's positive-integer parser, its refusal shown as the demo's usage error. */
function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  try {
    return positiveIntegerValue(raw);
  } catch (error) {
    throw new DemoUsageError(`--${name} ${(error as Error).message}`);
  }
}

/** The demo's options; an unknown option, a missing value or a bad number is refused, never ignored. */
export function parseDemoOptions(args: readonly string[]): DemoOptions {
  let values: { users?: string; seed?: string; data?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        users: { type: 'string' },
        seed: { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new DemoUsageError(`${(error as Error).message}\n\n${DEMO_USAGE}`);
  }
  return {
    help: values.help === true,
    users: positiveInteger('users', values.users, 300),
    seed: positiveInteger('seed', values.seed, 7),
    ...(values.data !== undefined && { data: values.data }),
  };
}
