import { readFileSync } from 'node:fs';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * Lines of a file whose encoding is mixed (public datasets often are): each line is read as UTF-8 when it is
 * valid UTF-8 and as Latin-1 otherwise, so neither kind of line is mangled.
 */
export function decodeLines(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    let end = i;
    if (end > start && bytes[end - 1] === 0x0d) end--;
    const slice = bytes.subarray(start, end);
    let line: string;
    try {
      line = utf8.decode(slice);
    } catch {
      line = latin1.decode(slice);
    }
    lines.push(line);
    start = i + 1;
  }
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A file's lines, decoded line by line (UTF-8, else Latin-1). */
export function readLines(path: string): string[] {
  return decodeLines(readFileSync(path));
}

/** Rows of a tab-separated file, without its header line when `header` is set. */
export function tsvRows(lines: readonly string[], header: boolean): string[][] {
  return lines.slice(header ? 1 : 0).map((line) => line.split('\t'));
}

/** A dataset folder that is not what its --dataset says: the evaluation prints the message alone. */
export class DatasetError extends Error {}
