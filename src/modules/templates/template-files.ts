import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseDataFile, reservedDataKey } from './domain/data-file';
import { isCanonicalLocale } from './domain/locale-chain';
import { shiftLocations } from './domain/prepare-ast';
import { SourceFile, TemplateMeta } from './domain/template-source';
import { HandlebarsEngine } from './handlebars-engine';
import { TemplateProblem } from './template.types';

/**
 * Reading one file of a templates folder: `template.json`, a `.hbs` template or a push `data.json`.
 * Problems come back with an empty `ref`, which the catalog fills in; nothing here throws on bad content.
 */
const META_KEYS = new Set(['description', 'layout', 'locale', '$comment']);

/** A short content hash: enough to tell versions of a template apart in notification records. */
export function contentHash(...contents: string[]): string {
  const hash = createHash('sha256');
  for (const content of contents) hash.update(content).update('\0');
  return hash.digest('hex').slice(0, 16);
}

export function readMeta(
  path: string,
  file: string,
  defaults: TemplateMeta,
  report: (file: string, message: string) => void,
): TemplateMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    report(file, `invalid JSON: ${(error as Error).message}`);
    return defaults;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    report(file, 'template.json must be an object');
    return defaults;
  }
  const meta = { ...defaults };
  for (const [key, value] of Object.entries(raw)) {
    if (!META_KEYS.has(key)) report(file, `unknown key "${key}" (description, layout, locale)`);
    else if (key === 'description' && typeof value === 'string') meta.description = value;
    else if (key === 'layout' && (value === null || typeof value === 'string')) meta.layout = value;
    else if (key === 'locale' && typeof value === 'string' && isCanonicalLocale(value)) meta.locale = value;
    else if (key !== '$comment') report(file, `invalid ${key}: ${JSON.stringify(value)}`);
  }
  return meta;
}

/** A file read from disk: `path` on disk, `file` as problems name it (relative to the templates folder). */
export interface FileToRead {
  path: string;
  file: string;
}

export interface FileRead {
  file: SourceFile;
  problems: TemplateProblem[];
}

/** A problem at a parser position (0-based column), reported 1-based. */
function problemAt(file: string, position: { line: number; column: number; message: string }): TemplateProblem {
  return { ref: '', file, line: position.line, column: position.column + 1, message: position.message };
}

/** Reads and parses one `.hbs` file; a syntax error becomes a problem. */
export function readTemplate(engine: HandlebarsEngine, { path, file }: FileToRead): FileRead {
  const source = readFileSync(path, 'utf8');
  const parsed = engine.parse(source);
  const hash = contentHash(source);
  if ('ast' in parsed) return { file: { file, hash, ast: parsed.ast }, problems: [] };
  return { file: { file, hash }, problems: [problemAt(file, parsed.error)] };
}

/** Reads a push `data.json` and parses each value as a template positioned inside the JSON file. */
export function readData(engine: HandlebarsEngine, { path, file }: FileToRead): FileRead {
  const source = readFileSync(path, 'utf8');
  const hash = contentHash(source);
  const data = parseDataFile(source);
  if ('problem' in data) return { file: { file, hash, entries: [] }, problems: [problemAt(file, data.problem)] };
  const problems: TemplateProblem[] = [];
  const entries = data.entries.map(({ key, value, line, column }) => {
    const reserved = reservedDataKey(key);
    if (reserved) problems.push(problemAt(file, { line, column, message: reserved }));
    const parsed = engine.parse(value);
    if ('ast' in parsed) {
      shiftLocations(parsed.ast, { line, column });
      return { key, ast: parsed.ast };
    }
    const at = parsed.error;
    const position = { line: line + at.line - 1, column: at.line === 1 ? column + at.column : at.column };
    problems.push(problemAt(file, { ...position, message: `data "${key}": ${at.message}` }));
    return { key };
  });
  return { file: { file, hash, entries }, problems };
}
