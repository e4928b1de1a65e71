import { createHash } from 'node:crypto';
import { escapeHtml } from '../../templates/domain/links';
import { PAGE_TEXT, PageLocale } from './page-text';
import { UNSUBSCRIBE_FIELDS, UnreadableForm } from './unsubscribe-request';

/** What the unsubscribe page shows. */
export type UnsubscribePage =
  | { state: 'confirm'; category: string }
  | { state: 'unsubscribed'; category: string }
  | { state: 'unsubscribed-all' }
  | { state: 'invalid' }
  | { state: 'dead-link' }
  | { state: 'bad-request'; field: string }
  | { state: 'unreadable'; problem: UnreadableForm };

const STYLE =
  'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#18181b;background:#f4f4f5}' +
  'main{max-width:32rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:.75rem}' +
  'h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}form{display:flex;flex-direction:column;gap:.75rem;margin-top:1.5rem}' +
  'button{font:inherit;padding:.75rem 1rem;border-radius:.5rem;border:2px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}' +
  'button.secondary{background:#fff;color:#1d4ed8}button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}';

/** The Content-Security-Policy of the pages: nothing loads, only this inline style, forms post back here. */
export const PAGE_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const STATUS: Record<Exclude<UnsubscribePage['state'], 'unreadable'>, number> = {
  confirm: 200,
  unsubscribed: 200,
  'unsubscribed-all': 200,
  invalid: 404,
  'dead-link': 404,
  'bad-request': 400,
};
const UNREADABLE_STATUS: Record<UnreadableForm, number> = { type: 415, size: 413, damaged: 400 };

/** A category as people read it: `weekly-digest` is "weekly digest". */
function displayName(category: string): string {
  return category.replace(/[-_]+/g, ' ');
}

const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;

/**
 * The field a 400 page names: one of the form's own, else the body. Any site can post a form here, so a
 * name taken from the request would put that site's words on a page of the sender's domain.
 */
const shownField = (field: string) => (UNSUBSCRIBE_FIELDS.has(field) ? field : 'body');

function form(locale: PageLocale, buttons: Array<{ scope: 'category' | 'all'; label: string; secondary?: boolean }>) {
  const items = buttons.map(
    (b) =>
      `<button type="submit" name="scope" value="${b.scope}"${b.secondary ? ' class="secondary"' : ''}>${escapeHtml(b.label)}</button>`,
  );
  return `<form method="post"><input type="hidden" name="lang" value="${locale}">${items.join('')}</form>`;
}

/** The page's heading (plain text) and content (HTML built from escaped text). */
function body(page: UnsubscribePage, locale: PageLocale): { heading: string; content: string } {
  const t = PAGE_TEXT[locale];
  const leaveAll = { scope: 'all' as const, label: t.leaveAll, secondary: true };
  switch (page.state) {
    case 'confirm': {
      const c = displayName(page.category);
      const buttons = form(locale, [{ scope: 'category', label: t.leaveCategory(c) }, leaveAll]);
      return { heading: t.confirmHeading(c), content: paragraph(t.confirmBody(c)) + buttons };
    }
    case 'unsubscribed':
      return {
        heading: t.doneCategory(displayName(page.category)),
        content: paragraph(`${t.effective} ${t.doneCategoryMore}`) + form(locale, [leaveAll]),
      };
    case 'unsubscribed-all':
      return { heading: t.doneAll, content: paragraph(t.effective) };
    case 'invalid':
      return { heading: t.invalidTitle, content: paragraph(t.invalidBody) };
    case 'dead-link':
      return { heading: t.invalidTitle, content: paragraph(t.deadLinkBody) };
    case 'bad-request':
      return { heading: t.badRequestTitle, content: paragraph(t.badRequestBody(shownField(page.field))) };
    case 'unreadable':
      return { heading: t.unreadableTitle, content: paragraph(`${t.unreadableBody[page.problem]} ${t.sendAgain}`) };
  }
}

/**
 * The small, script-free HTML page behind every unsubscribe link: a confirm form (so a scanner that
 * follows the link changes nothing), the outcome, why the link does not work (also the 404 of a click
 * link that leads nowhere), or why the form posted to it could not be read. Text is escaped.
 */
export function renderUnsubscribePage(page: UnsubscribePage, locale: PageLocale): { status: number; html: string } {
  const { heading, content } = body(page, locale);
  const title = escapeHtml(`${heading} – ${PAGE_TEXT[locale].title}`);
  const html =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">' +
    `<title>${title}</title><style>${STYLE}</style></head>` +
    `<body><main><h1>${escapeHtml(heading)}</h1>${content}</main></body></html>`;
  const status = page.state === 'unreadable' ? UNREADABLE_STATUS[page.problem] : STATUS[page.state];
  return { status, html };
}
