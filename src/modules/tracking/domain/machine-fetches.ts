import { isIP } from 'node:net';
import { expandIpv6 } from './client-address';

/**
 * Opens and clicks that no person made. Mail privacy protection and security scanners fetch every image
 * or follow every link of a message on arrival, so counting them would report opens and clicks that
 * never happened. Each rule below names what it recognises; the reason is stored with the event, so
 * reports can show engagement with and without machine fetches and the log can be classified again.
 */
export type MachineReason =
  'head-request' | 'prefetch' | 'no-user-agent' | 'apple-mpp' | 'scanner' | 'link-preview' | 'before-send' | 'too-soon';

export interface Fetch {
  method: string;
  userAgent?: string;
  /** The client address (see clientAddress). */
  address?: string;
  /** `Purpose`, `Sec-Purpose`, `X-Purpose` or `X-Moz` request headers, joined. */
  purpose?: string;
  at: Date;
  /** When the provider accepted the message; unset when it has not been recorded. */
  sentAt?: Date;
  /**
   * The message's channel. The timing rules are for email, where prefetch happens on arrival; a
   * push is often tapped within seconds, sometimes before its send time is written.
   */
  channel?: 'email' | 'push';
}

export interface FetchClass {
  machine: boolean;
  reason?: MachineReason;
  /** A proxy that fetched because the reader opened the message (human, but anonymized). */
  proxy?: 'google' | 'yahoo';
}

/**
 * Security gateways and sandboxes that follow links and load images to inspect them, and HTTP
 * libraries no mail client uses. Outlook's own `ms-office` agent is a reader, and is not listed. A
 * crawler names itself `…bot` as its product (`Googlebot/2.1`, `PetalBot;`, `AdsBot-Google`); a phone whose
 * model name ends in "bot" (`CUBOT NOTE 20`, `CUBOT_X19`) is a reader.
 */
const SCANNER_AGENTS =
  /barracuda|mimecast|proofpoint|ironport|messagelabs|symantec|trend ?micro|sophos|forti(?:net|guard)|forcepoint|zscaler|sonicwall|spamtitan|appriver|mailscanner|cloudmark|bitdefender|kaspersky|avast|safelinks|headlesschrome|phantomjs|python-(?:requests|urllib)|curl\/|wget\/|go-http-client|\bjava\/|okhttp|libwww-perl|httpclient|axios\/|node-fetch|undici|\bbot\b|[a-z]bot(?:[/;)-]|$)|crawler|spider/i;

/** Chat and social apps fetching a link to draw its preview, when someone pastes it. */
const PREVIEW_AGENTS =
  /slackbot|facebookexternalhit|twitterbot|linkedinbot|whatsapp\/|telegrambot|discordbot|skypeuripreview/i;

/**
 * Apple Mail Privacy Protection loads remote content through Apple's proxies as soon as mail arrives,
 * with the bare user agent `Mozilla/5.0` (Apple Mail itself sends a full one), from Apple's 17.0.0.0/8
 * and 2620:149::/32 networks.
 */
function isAppleProxy(fetch: Fetch): boolean {
  if (fetch.userAgent?.trim() === 'Mozilla/5.0') return true;
  const address = fetch.address;
  if (!address) return false;
  if (isIP(address) === 4) return address.startsWith('17.');
  if (isIP(address) !== 6) return false;
  const [a, b] = expandIpv6(address);
  return a === '2620' && b === '149';
}

/** Google's and Yahoo's image proxies fetch when the reader opens the message: a human open, anonymized. */
function readerProxy(userAgent: string): FetchClass['proxy'] {
  if (/GoogleImageProxy|ggpht\.com/i.test(userAgent)) return 'google';
  if (/YahooMailProxy/i.test(userAgent)) return 'yahoo';
  return undefined;
}

/**
 * Classifies one fetch of an open pixel or a click link. `windowMs` is how soon after sending a fetch
 * is too quick for a person (TRACKING_MACHINE_WINDOW_SECONDS); 0 turns that rule off.
 */
export function classifyFetch(fetch: Fetch, windowMs: number): FetchClass {
  const machine = (reason: MachineReason): FetchClass => ({ machine: true, reason });
  const agent = fetch.userAgent?.trim() ?? '';
  if (fetch.method === 'HEAD') return machine('head-request');
  if (fetch.purpose && /prefetch|preview|prerender/i.test(fetch.purpose)) return machine('prefetch');
  if (!agent) return machine('no-user-agent');
  if (isAppleProxy(fetch)) return machine('apple-mpp');
  const proxy = readerProxy(agent);
  if (PREVIEW_AGENTS.test(agent)) return machine('link-preview');
  if (!proxy && SCANNER_AGENTS.test(agent)) return machine('scanner');
  if (fetch.channel !== 'push') {
    if (!fetch.sentAt) return machine('before-send');
    if (windowMs > 0 && fetch.at.getTime() - fetch.sentAt.getTime() < windowMs) return machine('too-soon');
  }
  return proxy ? { machine: false, proxy } : { machine: false };
}
