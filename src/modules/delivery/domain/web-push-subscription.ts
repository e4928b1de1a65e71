/** A browser's PushSubscription as `JSON.stringify(subscription)` gives it: the Web Push "token". */
export interface WebPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Parses a stored Web Push token, or undefined when it is not a usable https subscription. */
export function parseWebPushSubscription(token: string): WebPushSubscription | undefined {
  let value: unknown;
  try {
    value = JSON.parse(token);
  } catch {
    return undefined;
  }
  const candidate = value as Partial<WebPushSubscription> | null;
  if (!candidate || typeof candidate.endpoint !== 'string' || typeof candidate.keys !== 'object') return undefined;
  const { p256dh, auth } = candidate.keys ?? {};
  if (typeof p256dh !== 'string' || typeof auth !== 'string') return undefined;
  if (!BASE64URL.test(p256dh) || !BASE64URL.test(auth)) return undefined;
  try {
    if (new URL(candidate.endpoint).protocol !== 'https:') return undefined;
  } catch {
    return undefined;
  }
  return { endpoint: candidate.endpoint, keys: { p256dh, auth } };
}
