import { basename, extname } from 'node:path';
import { z } from 'zod';
import { COPY_PROMPT_VERSIONS } from '../../personalization/domain/copy-prompt';
import { CampaignDefinition, campaignDefinitionSchema } from './campaign-definition';
import { definitionRuleProblems } from './definition-rules';
import { parseYamlSource, SourcePosition, YamlSource } from './yaml-source';

/** One mistake in a campaign file, located for an editor: `file:line:column field.path message`. */
export interface DefinitionProblem extends SourcePosition {
  file: string;
  /** Dotted field path (`experiment.variants[1].weight`), empty for the whole file. */
  path: string;
  message: string;
  /** Where the mistake is: YAML syntax, the schema, a rule across fields, or a template the campaign uses. */
  kind: 'yaml' | 'schema' | 'rule' | 'template';
  /** The template file, for template problems (`file` is then the template's path). */
  template?: string;
}

export type LoadedDefinition =
  | { ok: true; definition: CampaignDefinition; source: YamlSource }
  | { ok: false; problems: DefinitionProblem[]; definition?: undefined };

/** `experiment.variants[1].weight` from `['experiment', 'variants', 1, 'weight']`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (out, step) => (typeof step === 'number' ? `${out}[${step}]` : out ? `${out}.${String(step)}` : String(step)),
    '',
  );
}

/** Issues about one written scalar, whose value is worth quoting (never a URL, which may carry a password). */
const QUOTED_ISSUES = new Set(['invalid_value', 'invalid_type', 'too_big', 'too_small', 'invalid_format']);

/** `, not "emial"`: the scalar the issue is about, as written in the file, or nothing. */
function writtenValue(data: unknown, issue: z.core.$ZodIssue): string {
  if (!QUOTED_ISSUES.has(issue.code) || (issue.code === 'invalid_format' && issue.format !== 'regex')) return '';
  let value = data;
  for (const step of issue.path) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  if (typeof value === 'string') return `, not ${JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value)}`;
  return typeof value === 'number' || typeof value === 'boolean' ? `, not ${String(value)}` : '';
}

function schemaProblems(file: string, source: YamlSource, error: z.ZodError): DefinitionProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        file,
        ...source.locate([...issue.path, key], { key: true }),
        path: formatPath([...issue.path, key]),
        message: `unknown field "${key}"`,
        kind: 'schema' as const,
      }));
    }
    return [
      {
        file,
        ...source.locate(issue.path),
        path: formatPath(issue.path),
        message: issue.message + writtenValue(source.data, issue),
        kind: 'schema' as const,
      },
    ];
  });
}

/**
 * Parses and validates one campaign file: YAML syntax, the schema, then rules across fields (cron and
 * time zone, template channel, experiment metrics, the id matching the file name). Every problem is reported.
 */
export function loadDefinition(file: string, text: string): LoadedDefinition {
  const source = parseYamlSource(text);
  if (source.errors.length > 0) {
    return { ok: false, problems: source.errors.map((e) => ({ file, ...e, path: '', kind: 'yaml' })) };
  }
  const parsed = campaignDefinitionSchema.safeParse(source.data ?? {});
  if (!parsed.success) return { ok: false, problems: schemaProblems(file, source, parsed.error) };
  const definition = parsed.data;
  const problems = definitionRuleProblems(definition, { promptVersions: COPY_PROMPT_VERSIONS }).map((p) => ({
    file,
    ...source.locate(p.path),
    path: formatPath(p.path),
    message: p.message,
    kind: 'rule' as const,
  }));
  const stem = basename(file, extname(file));
  if (stem !== definition.id) {
    problems.unshift({
      file,
      ...source.locate(['id']),
      path: 'id',
      message: `the id "${definition.id}" must match the file name "${stem}"`,
      kind: 'rule',
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, definition, source };
}

/** Sorts problems by file, line and column, for stable reports. */
export function sortProblems(problems: readonly DefinitionProblem[]): DefinitionProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** One line per problem: `file:line:column path: message`. */
export function formatProblem(p: DefinitionProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.path ? `${p.path}: ` : ''}${p.message}`;
}
