import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Settings } from '../../config/settings';
import { RENDER_CONTEXT_SHAPE } from '../personalization/domain/render-context';
import { CampaignDefinition } from './domain/campaign-definition';
import { definitionHash } from './domain/campaign-state';
import { DefinitionProblem, formatPath, loadDefinition, sortProblems } from './domain/load-definition';
import { parseYamlSource } from './domain/yaml-source';
import { TemplateError } from '../templates/domain/templates.errors';
import { TemplatesService } from '../templates/templates.service';

/** One campaign file after validation: its definition and hash when valid, its problems otherwise. */
export interface CheckedFile {
  file: string;
  /** The id the file declares (or its file name when it has no readable id). */
  campaignId: string;
  definition?: CampaignDefinition;
  contentHash?: string;
  problems: DefinitionProblem[];
}

const YAML_FILE = /\.ya?ml$/;

const PUSH_COPY_LIMITS = [
  { key: 'titleMaxChars', what: 'title', setting: 'PUSH_TITLE_MAX_CHARS' },
  { key: 'bodyMaxChars', what: 'body', setting: 'PUSH_BODY_MAX_CHARS' },
] as const;

/**
 * A campaign file as problems name it: relative to the working directory when it lies beneath it, else
 * absolute (a path climbing out through `../../..` says less than the whole path).
 */
export function shownPath(path: string, cwd = process.cwd()): string {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  return rel && rel.split(sep)[0] !== '..' && !isAbsolute(rel) ? rel : absolute;
}

/** Reads and validates campaign files: YAML, schema, cross-field rules and every template variable. */
@Injectable()
export class CampaignDefinitionsService {
  readonly dir: string;

  constructor(
    private readonly templates: TemplatesService,
    config: ConfigService<Settings, true>,
  ) {
    this.dir = resolve(config.get('campaigns', { infer: true }).dir);
  }

  /** Every `.yaml` / `.yml` file of the campaigns folder, by name. */
  async listFiles(): Promise<string[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return names
      .filter((n) => YAML_FILE.test(n))
      .sort()
      .map((n) => join(this.dir, n));
  }

  async checkFiles(files: readonly string[]): Promise<CheckedFile[]> {
    return Promise.all(files.map((f) => this.checkFile(f)));
  }

  async checkFile(path: string): Promise<CheckedFile> {
    const file = shownPath(path);
    const text = await readFile(path, 'utf8');
    const loaded = loadDefinition(file, text);
    const stem = file.replace(/^.*[\\/]/, '').replace(YAML_FILE, '');
    if (!loaded.ok) return { file, campaignId: stem, problems: sortProblems(loaded.problems) };
    const definition = loaded.definition;
    const problems = this.templateProblems(definition, (path) => ({ file, ...loaded.source.locate(path) }));
    return {
      file,
      campaignId: definition.id,
      definition,
      contentHash: definitionHash(definition),
      problems: sortProblems(problems),
    };
  }

  /** Where a field is written in a campaign file as it is now; its first line when the file is gone or unreadable. */
  async locate(file: string, path: Array<string | number>): Promise<{ file: string; line: number; column: number }> {
    const text = await readFile(resolve(file), 'utf8').catch(() => undefined);
    const source = text === undefined ? undefined : parseYamlSource(text);
    return { file, ...(source && source.errors.length === 0 ? source.locate(path) : { line: 1, column: 1 }) };
  }

  /**
   * Checks every template the campaign can render (its own and each experiment arm's) against the render
   * context: an unknown variable is reported at its template file and line, naming the campaign field.
   * A push campaign's copy limits must also fit the push limits templates render to.
   */
  templateProblems(
    definition: CampaignDefinition,
    locate: (path: Array<string | number>) => { file: string; line: number; column: number },
  ): DefinitionProblem[] {
    return [...this.pushLimitProblems(definition, locate), ...this.templateCheckProblems(definition, locate)];
  }

  /** Copy limits above the configured push limits would fail the render of every recipient. */
  private pushLimitProblems(
    definition: CampaignDefinition,
    locate: (path: Array<string | number>) => { file: string; line: number; column: number },
  ): DefinitionProblem[] {
    if (definition.channel !== 'push') return [];
    const allowed = this.templates.pushLimitsAllowed;
    const limits = definition.copy.limits ?? {};
    return PUSH_COPY_LIMITS.flatMap(({ key, what, setting }) => {
      const value = limits[key];
      if (value === undefined || value <= allowed[key]) return [];
      const path = ['copy', 'limits', key];
      const message = `must be at most ${allowed[key]}, the push ${what} limit (${setting})`;
      return [{ ...locate(path), path: formatPath(path), message, kind: 'rule' as const }];
    });
  }

  private templateCheckProblems(
    definition: CampaignDefinition,
    locate: (path: Array<string | number>) => { file: string; line: number; column: number },
  ): DefinitionProblem[] {
    const refs: Array<{ ref: string; path: Array<string | number> }> = [
      { ref: definition.template, path: ['template'] },
    ];
    definition.experiment?.variants.forEach((v, i) => {
      if (v.template) refs.push({ ref: v.template, path: ['experiment', 'variants', i, 'template'] });
    });
    const templatesDir = relative(process.cwd(), this.templates.dir) || '.';
    return refs.flatMap(({ ref, path }) => {
      const field = `${formatPath(path)} (${ref})`;
      try {
        return this.templates.check(ref, definition.channel, RENDER_CONTEXT_SHAPE).map((p) => ({
          file: join(templatesDir, p.file),
          line: p.line,
          column: p.column,
          path: p.variable ? `${field}: ${p.variable}` : field,
          message: p.message,
          kind: 'template' as const,
          template: p.file,
        }));
      } catch (error) {
        if (!(error instanceof TemplateError) || error.code !== 'templates.not-found') throw error;
        return [{ ...locate(path), path: formatPath(path), message: error.message, kind: 'template' as const }];
      }
    });
  }
}
