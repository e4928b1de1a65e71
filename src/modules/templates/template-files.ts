import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDataFile } from './domain/data-file';
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

/** Reads and parses one `.hbs` file; a syntax error becomes a problem (with an empty ref, set by the caller). */
export function readTemplate(
  engine: HandlebarsEngine,
  dir: string,
  file: string,
  name: string,
): { file: SourceFile; problems: TemplateProblem[] } {
  const source = readFileSync(join(dir, name), 'utf8');
  const parsed = engine.parse(source);
  const hash = contentHash(source);
  if ('ast' in parsed) return { file: { file, hash, ast: parsed.ast }, problems: [] };
  const { line, column, message } = parsed.error;
  return { file: { file, hash }, problems: [{ ref: '', file, line, column: column + 1, message }] };
}

export function readData(
  engine: HandlebarsEngine,
  dir: string,
  file: string,
  name: string,
): { file: SourceFile; problems: TemplateProblem[] } {
  const source = readFileSync(join(dir, name), 'utf8');
  const hash = contentHash(source);
  const data = parseDataFile(source);
  if ('problem' in data) {
    const { line, column, message } = data.problem;
    return { file: { file, hash, entries: [] }, problems: [{ ref: '', file, line, column: column + 1, message }] };
  }
  const problems: TemplateProblem[] = [];
  const entries = data.entries.map(({ key, value, line, column }) => {
    const parsed = engine.parse(value);
    if ('ast' in parsed) {
      shiftLocations(parsed.ast, { line, column });
      return { key, ast: parsed.ast };
    }
    const at = parsed.error;
    problems.push({
      ref: '',
      file,
      line: line + at.line - 1,
      column: (at.line === 1 ? column + at.column : at.column) + 1,
      message: `data "${key}": ${at.message}`,
    });
    return { key };
  });
  return { file: { file, hash, entries }, problems };
}
