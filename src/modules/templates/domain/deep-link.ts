import { TemplateProblem } from '../template.types';
import { Program, Statement } from './template-ast';

// A scheme with its host ended by the path, query or fragment (`https://app.example.com/`), or a
// scheme without one (`mailto:`): what a deep link must write out before any value.
export const ORIGIN_WRITTEN = /^\s*[a-z][a-z0-9+.-]*:(?:\/\/[^/?#\s]+[/?#]|(?!\/\/))/i;
// Helpers that print a whole URL of their own.
export const URL_HELPERS = new Set(['track', 'unsubscribeUrl']);

// Half of a surrogate pair: an emoji cut in two, which UTF-8 (and so percent-encoding) cannot write.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A value as a deep link prints it: percent-encoded, half an emoji written as U+FFFD (encodeURIComponent throws on it). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd'));
}

const MESSAGE = 'a deep link writes its scheme and host out before any {{ }}: a value there could change where it goes';

/**
 * Problems of a deep-link part: a value printed before the scheme and host are written out could
 * change the link's host (`https://app.example.com{{x}}` with `.evil.com`). A link that starts with
 * `{{track ...}}` is a whole tracked URL.
 */
export function deepLinkProblems(ref: string, file: string, ast: Program): TemplateProblem[] {
  return linkProblems(ref, file, MESSAGE, (report) => walk(ast.body, '', report));
}

/** Reports where a value could change a link's host, as the file's problems. */
export type Report = (loc: Statement['loc'] | undefined) => void;

/** The problems a link walker reports in one file, each with `message`. */
export function linkProblems(
  ref: string,
  file: string,
  message: string,
  run: (report: Report) => void,
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  run((loc) => {
    problems.push({ ref, file, line: loc?.start.line ?? 1, column: (loc?.start.column ?? 0) + 1, message });
  });
  return problems;
}

/** Follows the literal text before each value; stops once the origin is written, or after a block. */
function walk(body: readonly Statement[], before: string, report: Report): void {
  let text = before;
  for (const statement of body) {
    if (ORIGIN_WRITTEN.test(text)) return;
    switch (statement.type) {
      case 'ContentStatement':
        text += statement.value ?? '';
        continue;
      case 'CommentStatement':
        continue;
      case 'BlockStatement':
        walk(statement.program?.body ?? [], text, report);
        walk(statement.inverse?.body ?? [], text, report);
        return;
      case 'MustacheStatement': {
        const { path } = statement;
        const urlHelper = path.type === 'PathExpression' && URL_HELPERS.has(path.original);
        if (!(urlHelper && text.trim() === '')) report(statement.loc);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
      case 'Decorator':
      case 'DecoratorBlock':
        report(statement.loc);
        return;
    }
  }
}
