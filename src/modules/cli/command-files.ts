import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileErrorReason } from '../../lib/files/file-errors';

/** A file a command cannot read or write, explained in one sentence (no errno code, no stack). */
export class CommandFileError extends Error {}

const label = (path: string, flag?: string) => (flag ? `${path} (${flag})` : path);

/**
 * Checks, before any work starts, that an input file exists, is a file and is readable; `flag` names the
 * option that gave it. An unset option passes.
 */
export function requireReadableFile(path: string | undefined, flag?: string): void {
  if (path === undefined) return;
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw new CommandFileError(`Cannot read ${label(path, flag)}: ${reasonOf(error)}.`);
  }
}

/**
 * Checks, before any work starts, that an output file can be written: it is not an existing directory, and
 * its directory exists and is writable. An unset option passes.
 */
export function requireWritableFile(path: string | undefined, flag?: string): void {
  if (path === undefined) return;
  const directory = dirname(path);
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    if (!statSync(directory).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    accessSync(directory, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? `the directory ${directory} does not exist` : reasonOf(error);
    throw new CommandFileError(`Cannot write ${label(path, flag)}: ${reason}.`);
  }
}

/**
 * Checks, before any work starts, that a folder a command writes into (creating it when missing) can be
 * used: it is not an existing file, and it (or, when missing, its nearest existing parent) is writable.
 * An unset option passes.
 */
export function requireWritableDirectory(path: string | undefined, flag?: string): void {
  if (path === undefined) return;
  let reason: string | undefined;
  try {
    let existing = path;
    let stats = statSync(existing, { throwIfNoEntry: false });
    while (!stats && dirname(existing) !== existing) {
      existing = dirname(existing);
      stats = statSync(existing, { throwIfNoEntry: false });
    }
    if (stats && !stats.isDirectory()) reason = 'it is not a directory';
    else accessSync(existing, constants.W_OK);
  } catch (error) {
    reason = reasonOf(error);
  }
  if (reason) throw new CommandFileError(`Cannot write into ${label(path, flag)}: ${reason}.`);
}

/**
 * The one-sentence message of a file-system error that escaped a command (`Cannot open <path>: <reason>.`),
 * or undefined for any other error.
 */
export function describeFileError(error: unknown): string | undefined {
  const reason = fileErrorReason(error);
  const path = (error as NodeJS.ErrnoException | undefined)?.path;
  return reason && path ? `Cannot open ${path}: ${reason}.` : undefined;
}

function reasonOf(error: unknown): string {
  return fileErrorReason(error) ?? (error as Error).message;
}
