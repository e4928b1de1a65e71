import { InvalidArgumentError } from 'commander';
import {
  EARLIEST_INSTANT,
  ISO_INSTANT_WITH_ZONE,
  isWithinProductTime,
  parseIsoInstant,
} from '../../lib/time/iso-instant';

/** A command-line option's value parsers: a bad value is refused by commander with the option's name. */

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

/** A parser of whole numbers written in digits from `min` to `max` (no sign, exponent or fraction). */
export function wholeNumberBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/**
 * A parser of the instant option `flag`, by the HTTP API's rule (`parseIsoInstant`): the value needs a time
 * zone, since `new Date()` would read `2026-03-01T12:00` in this machine's zone. A bad value is refused in one
 * sentence naming the option, and the command exits 1 as for any usage error: unlike the parsers above it throws
 * a plain Error, which src/cli.ts prints alone, where commander would add its own wording and the help.
 */
export function instantOption(flag: string): (value: string) => Date {
  return (value) => {
    const at = parseIsoInstant(value);
    if (!at) throw new Error(`${flag} must be ${ISO_INSTANT_WITH_ZONE}.`);
    if (!isWithinProductTime(at)) throw new Error(`${flag} must be on or after ${EARLIEST_INSTANT}.`);
    return at;
  };
}
