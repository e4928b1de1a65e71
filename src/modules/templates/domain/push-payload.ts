import { PushLimits } from '../template.types';
import { PLACEHOLDER } from './links';
import { TemplateError } from './templates.errors';
import { jsonBytes, truncateWords } from './truncate';

export interface PushParts {
  title: string;
  body: string;
  deepLink?: string;
  data: Record<string, string>;
}

export type PushTruncation = 'title' | 'body' | 'data';

/** Bytes every link placeholder is counted as, so signing a link later cannot push the payload over the limit. */
export const LINK_BUDGET_BYTES = 256;

/**
 * Bytes kept for what delivery adds to every push: the notification id and push-open token among the
 * data (about 200 bytes with their keys), the APNs envelope, and Web Push's tag and its limit, 103 bytes
 * below the 4 KB of FCM and APNs.
 */
export const DELIVERY_RESERVE_BYTES = 384;

/**
 * The largest provider payload the push becomes: UTF-8 JSON of the notification (title, body) and data
 * (with the deep link), the deep link once more (Web Push sends it as `url` too), each link counted at
 * `LINK_BUDGET_BYTES`, plus `DELIVERY_RESERVE_BYTES`. FCM and APNs both cap their payload at 4 KB.
 */
export function pushPayloadBytes(parts: PushParts): number {
  const data = parts.deepLink === undefined ? parts.data : { ...parts.data, deepLink: parts.deepLink };
  const json = JSON.stringify({ notification: { title: parts.title, body: parts.body }, data, url: parts.deepLink });
  let bytes = Buffer.byteLength(json, 'utf8') + DELIVERY_RESERVE_BYTES;
  for (const match of json.matchAll(PLACEHOLDER)) bytes += LINK_BUDGET_BYTES - match[0].length;
  return bytes;
}

/** Whether a push has nothing to show: its title and body are both empty or white space. */
const isBlank = (parts: Pick<PushParts, 'title' | 'body'>) => parts.title.trim() === '' && parts.body.trim() === '';

/** Refuses a push with nothing to show: its title and body both rendered empty (a device would show a blank). */
export function requirePushText(parts: Pick<PushParts, 'title' | 'body'>): void {
  if (isBlank(parts)) {
    throw new TemplateError('templates.empty-push', "the push's title and body both render empty");
  }
}

/** `value` shortened on a word boundary by at least `excess` bytes of its JSON form. */
function shrink(value: string, excess: number, locale: string): string {
  return truncateWords(value, Math.max(0, jsonBytes(value) - excess), { measure: jsonBytes, locale });
}

/**
 * Makes a push fit its limits: title and body to their character limits, then, while the payload is
 * over its byte limit, data values (largest first), then the body, then the title, each cut on a word
 * boundary with an ellipsis. The deep link is never cut; a payload still over the limit, or one that fits
 * only with both title and body cut to nothing (a blank on the device), is an error.
 */
export function fitPush(
  parts: PushParts,
  limits: PushLimits,
  locale: string,
): { parts: PushParts; truncated: PushTruncation[] } {
  const truncated = new Set<PushTruncation>();
  const fitted: PushParts = { ...parts, data: { ...parts.data } };
  const title = truncateWords(fitted.title, limits.titleMaxChars, { locale });
  const body = truncateWords(fitted.body, limits.bodyMaxChars, { locale });
  if (title !== fitted.title) truncated.add('title');
  if (body !== fitted.body) truncated.add('body');
  fitted.title = title;
  fitted.body = body;
  const excess = () => pushPayloadBytes(fitted) - limits.payloadMaxBytes;
  const order: PushTruncation[] = ['title', 'body', 'data'];
  if (excess() <= 0) return { parts: fitted, truncated: order.filter((part) => truncated.has(part)) };
  const keys = Object.keys(fitted.data).sort((a, b) => jsonBytes(fitted.data[b]) - jsonBytes(fitted.data[a]));
  for (const key of keys) {
    if (excess() <= 0) break;
    fitted.data[key] = shrink(fitted.data[key], excess(), locale);
    truncated.add('data');
  }
  if (excess() > 0) {
    fitted.body = shrink(fitted.body, excess(), locale);
    truncated.add('body');
  }
  if (excess() > 0) {
    fitted.title = shrink(fitted.title, excess(), locale);
    truncated.add('title');
  }
  if (excess() > 0) {
    throw new TemplateError(
      'templates.payload-too-large',
      `the push payload is ${pushPayloadBytes(fitted)} bytes with empty text; the deep link and data keys alone exceed ${limits.payloadMaxBytes}`,
      'payload',
    );
  }
  if (isBlank(fitted)) {
    throw new TemplateError(
      'templates.payload-too-large',
      `the deep link and data keys leave no room for the push's title or body within ${limits.payloadMaxBytes} bytes`,
      'payload',
    );
  }
  return { parts: fitted, truncated: order.filter((part) => truncated.has(part)) };
}
