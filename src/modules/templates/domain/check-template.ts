import { ContextShape, TemplateProblem } from '../template.types';
import { deepLinkProblems } from './deep-link';
import { htmlLinkProblems } from './html-links';
import { inspectTemplate, ParsedFile, Uses } from './inspect-template';
import { variantChain } from './locale-chain';
import { CHANNEL_PARTS, PartName } from './template-layout';
import { DEFAULT_VARIANT, LayoutSource, SourceFile, TemplateSource, variantLocales } from './template-source';

/** The shared files a template may use: partials by name, layouts by name, and the problems of those files. */
export interface SharedFiles {
  partial(name: string): readonly SourceFile[];
  layout(name: string): LayoutSource | undefined;
  /** Reading problems (syntax errors) of a shared file, with an empty `ref`. */
  problemsOf(file: string): readonly TemplateProblem[];
}

export interface CheckResult {
  problems: TemplateProblem[];
  /** Partials each file uses, directly or through other partials, for content hashes. */
  partials: Map<string, Set<string>>;
}

const EMPTY: ParsedFile['ast'] = { type: 'Program', body: [] };
const LAYOUT_DATA = {
  html: new Map([['content', 'raw'], ['preheader', 'any'], ['subject', 'any']] as const),
  text: new Map([['content', 'any'], ['preheader', 'any'], ['subject', 'any']] as const),
}; // prettier-ignore

/**
 * Every problem of a template: reading problems, missing parts per locale, a missing layout, and what
 * the walker finds in each part, data value and layout file, against `shape` when one is given
 * (structure only otherwise). An email must offer an unsubscribe link, a layout must insert `@content`,
 * and a deep link, or a link in an email's HTML, must write its host out before any value.
 */
export function checkTemplate(
  source: TemplateSource,
  shape: ContextShape | undefined,
  shared: SharedFiles,
): CheckResult {
  const { ref } = source;
  const problems: TemplateProblem[] = [...source.problems, ...missingParts(source)];
  const partials = new Map<string, Set<string>>();
  const env = {
    ref,
    partial: (name: string) => shared.partial(name).map((f) => ({ file: f.file, ast: f.ast ?? EMPTY })),
  };
  const inspect = (
    file: string,
    ast: ParsedFile['ast'] | undefined,
    layoutKind?: 'html' | 'text',
  ): Uses | undefined => {
    if (!ast) return undefined;
    const dataVariables = layoutKind ? LAYOUT_DATA[layoutKind] : undefined;
    const result = inspectTemplate({ file, ast }, shape, { ...env, dataVariables });
    problems.push(...result.problems);
    partials.set(file, result.uses.partials);
    for (const name of result.uses.partials) {
      for (const variant of shared.partial(name)) problems.push(...rebrand(shared.problemsOf(variant.file), ref));
    }
    return result.uses;
  };
  const uses = new Map<PartName, Uses[]>();
  for (const [part, byLocale] of source.parts) {
    for (const file of byLocale.values()) {
      if (part === 'deep-link' && file.ast) problems.push(...deepLinkProblems(ref, file.file, file.ast));
      if (part === 'html' && file.ast) problems.push(...htmlLinkProblems(ref, file.file, file.ast));
      const fileUses = [inspect(file.file, file.ast), ...(file.entries ?? []).map((e) => inspect(file.file, e.ast))];
      uses.set(part, [...(uses.get(part) ?? []), ...fileUses.filter((u): u is Uses => u !== undefined)]);
    }
  }
  if (source.channel === 'email') problems.push(...checkLayout(source, shared, inspect, uses));
  problems.push(...htmlPartialProblems(source, shared, partials));
  return { problems: sortProblems(dedupe(problems)), partials };
}

/** Each variant must provide every required part within its own language: `fr-CA` may borrow from `fr`, never from the default. */
function missingParts(source: TemplateSource): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const dir = source.ref;
  for (const part of CHANNEL_PARTS[source.channel].required) {
    const files = source.parts.get(part);
    if (!files?.has(DEFAULT_VARIANT)) {
      problems.push(problem(source.ref, `${dir}/${part}.hbs`, `missing required part ${part}.hbs`));
    }
    for (const locale of variantLocales(source.parts.values())) {
      if (variantChain(locale).some((l) => files?.has(l))) continue;
      const language = variantChain(locale).at(-1);
      const alternative = language !== locale ? ` (or ${part}.${language}.hbs)` : '';
      const message = `locale ${locale} has no ${part}: add ${part}.${locale}.hbs${alternative}`;
      problems.push(problem(source.ref, `${dir}/${part}.${locale}.hbs`, message));
    }
  }
  return problems;
}

type Inspect = (file: string, ast: ParsedFile['ast'] | undefined, kind?: 'html' | 'text') => Uses | undefined;

function checkLayout(source: TemplateSource, shared: SharedFiles, inspect: Inspect, uses: Map<PartName, Uses[]>) {
  const problems: TemplateProblem[] = [];
  const { ref, meta } = source;
  const layout = meta.layout === null ? undefined : shared.layout(meta.layout);
  if (meta.layout !== null && !layout) {
    problems.push(problem(ref, `${ref}/template.json`, `layout "${meta.layout}" not found in layouts/`));
  }
  const layoutUses = (kind: 'html' | 'text') => {
    const all: Uses[] = [];
    for (const file of layout?.[kind].values() ?? []) {
      problems.push(...rebrand(shared.problemsOf(file.file), ref));
      const fileUses = inspect(file.file, file.ast, kind);
      if (kind === 'html' && file.ast) problems.push(...htmlLinkProblems(ref, file.file, file.ast));
      if (fileUses && !fileUses.data.has('content')) {
        problems.push(problem(ref, file.file, 'a layout must insert the message with {{{@content}}}'));
      }
      if (fileUses) all.push(fileUses);
    }
    return all;
  };
  const unsubscribes = (list: Uses[]) => list.length > 0 && list.every((u) => u.helpers.has('unsubscribeUrl'));
  const htmlLayout = layoutUses('html');
  const textLayout = layoutUses('text');
  for (const [part, layoutList] of [
    ['html', htmlLayout],
    ['text', textLayout],
  ] as const) {
    const files = source.parts.get(part);
    if (!files || unsubscribes(layoutList)) continue;
    const partUses = uses.get(part) ?? [];
    if (partUses.length > 0 && unsubscribes(partUses)) continue;
    const first = [...files.values()][0];
    const message = `an email needs an unsubscribe link: add {{unsubscribeUrl}} to ${part}.hbs or to the layout`;
    problems.push(problem(ref, first.file, message));
  }
  return problems;
}

/** Links in the partials that an email's html parts and HTML layout call, checked like theirs. */
function htmlPartialProblems(source: TemplateSource, shared: SharedFiles, partials: Map<string, Set<string>>) {
  if (source.channel !== 'email') return [];
  const layout = source.meta.layout === null ? undefined : shared.layout(source.meta.layout);
  const htmlFiles = [...(source.parts.get('html')?.values() ?? []), ...(layout?.html.values() ?? [])];
  const names = new Set(htmlFiles.flatMap((f) => [...(partials.get(f.file) ?? [])]));
  return [...names].flatMap((name) =>
    shared.partial(name).flatMap((f) => (f.ast ? htmlLinkProblems(source.ref, f.file, f.ast) : [])),
  );
}

function problem(ref: string, file: string, message: string): TemplateProblem {
  return { ref, file, line: 1, column: 1, message };
}

function rebrand(problems: readonly TemplateProblem[], ref: string): TemplateProblem[] {
  return problems.map((p) => ({ ...p, ref }));
}

function dedupe(problems: TemplateProblem[]): TemplateProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.column}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Problems in file order, then by position. */
export function sortProblems(problems: TemplateProblem[]): TemplateProblem[] {
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
