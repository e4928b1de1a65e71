import { randomUUID } from 'node:crypto';
import { LinkResolver, RenderedMessage, TrackedLink } from '../template.types';
import { TemplateError } from './templates.errors';

/**
 * Tracked links are rendered as placeholders `__jc_<nonce>_<id>__`: letters, digits and `_` only, so
 * HTML escaping, percent-encoding and JSON leave them intact, and truncation can treat each as one
 * unbreakable word. The nonce is random per render, so text from user data cannot forge one.
 */
export const PLACEHOLDER = /__jc_[a-z0-9]+_[a-z0-9]+__/g;

/** A fresh link nonce: 16 random lower-case hex digits. */
export function randomLinkNonce(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16);
}

const SAFE_NONCE = /^[a-z0-9]{8,64}$/;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const FORBIDDEN_SCHEMES = new Set(['javascript', 'data', 'vbscript', 'file', 'blob']);

/** Collects the links one render emits; `track` and `unsubscribeUrl` call it and print what it returns. */
export class LinkRecorder {
  readonly links: TrackedLink[] = [];

  /** `destinationProblem` says why a tracked link may not lead to a URL (a host not allowed), or undefined. */
  constructor(
    private readonly nonce: string,
    private readonly destinationProblem: (url: string) => string | undefined = () => undefined,
  ) {
    if (!SAFE_NONCE.test(nonce)) throw new Error('a link nonce is 8 to 64 lower-case letters or digits');
  }

  /** The placeholder for a click-tracked link to `url`; the same URL twice shares one link. */
  click(url: unknown): string {
    if (typeof url !== 'string') throw new TemplateError('templates.invalid-link', 'track needs a URL string', 'url');
    const problem = linkProblem(url) ?? this.destinationProblem(url);
    if (problem) throw new TemplateError('templates.invalid-link', `track: ${problem}`, 'url');
    return this.record('click', url.trim());
  }

  /** The placeholder for the unsubscribe link of `category` (`all` when the template names none). */
  unsubscribe(category: unknown): string {
    const name = typeof category === 'string' && category.trim() ? category.trim() : 'all';
    return this.record('unsubscribe', name);
  }

  private record(kind: TrackedLink['kind'], url: string): string {
    const existing = this.links.find((link) => link.kind === kind && link.url === url);
    if (existing) return existing.placeholder;
    const id = `${kind === 'click' ? 'c' : 'u'}${this.links.length + 1}`;
    const link = { id, kind, url, placeholder: `__jc_${this.nonce}_${id}__` };
    this.links.push(link);
    return link.placeholder;
  }
}

/** Why `url` may not be a tracked link's destination (no scheme, or a script-running one), or undefined. */
export function linkProblem(url: string): string | undefined {
  const scheme = SCHEME.exec(url.trim())?.[1]?.toLowerCase();
  if (!scheme) return `"${url.slice(0, 80)}" is not an absolute URL`;
  if (FORBIDDEN_SCHEMES.has(scheme)) return `${scheme}: links are not allowed`;
  return undefined;
}

/** Only the links whose placeholder survived in the final text (truncation may have cut one away). */
export function linksPresent(links: readonly TrackedLink[], texts: readonly string[]): TrackedLink[] {
  return links.filter((link) => texts.some((text) => text.includes(link.placeholder)));
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/** Escapes text for HTML content and quoted attributes (the same characters Handlebars escapes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Replaces each of the message's placeholders with `resolver(link)`, HTML-escaped in the HTML part and
 * as is elsewhere. Placeholder-looking text that is not one of the message's own links stays as it is.
 */
export function resolveMessageLinks<M extends RenderedMessage>(message: M, resolver: LinkResolver): M {
  const urls = new Map(message.links.map((link) => [link.placeholder, resolver(link)]));
  const plain = (text: string) => text.replace(PLACEHOLDER, (p) => urls.get(p) ?? p);
  if (message.channel === 'email') {
    const html = message.html.replace(PLACEHOLDER, (p) => {
      const url = urls.get(p);
      return url === undefined ? p : escapeHtml(url);
    });
    const { subject, preheader, text } = message;
    return { ...message, subject: plain(subject), preheader: plain(preheader), html, text: plain(text) };
  }
  const data = Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, plain(value)]));
  const deepLink = message.deepLink === undefined ? undefined : plain(message.deepLink);
  return { ...message, title: plain(message.title), body: plain(message.body), deepLink, data };
}
