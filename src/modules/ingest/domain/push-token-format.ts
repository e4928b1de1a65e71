import { parseWebPushSubscription } from '../../delivery/domain/web-push-subscription';
import type { PushPlatform } from './user-profile';

/** Visible ASCII: FCM registration tokens are URL-safe text without spaces. */
const FCM_TOKEN = /^[\x21-\x7e]+$/;
/** APNs device tokens are bytes written in hexadecimal. */
const APNS_TOKEN = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * Why `token` cannot address a device on `platform`, or undefined when it can. Checked when a profile is
 * stored, so a malformed token is refused to the client that sent it instead of failing every send later.
 */
export function pushTokenProblem(platform: PushPlatform, token: string): string | undefined {
  switch (platform) {
    case 'fcm':
      return FCM_TOKEN.test(token) ? undefined : 'an FCM registration token has no spaces or control characters';
    case 'apns':
      return APNS_TOKEN.test(token) ? undefined : 'an APNs device token is hexadecimal (pairs of 0-9 and a-f)';
    case 'webpush':
      return parseWebPushSubscription(token)
        ? undefined
        : "a webpush token is the browser's JSON.stringify(subscription): an https endpoint and base64url keys p256dh and auth";
  }
}

/**
 * What names the device behind a token however it is spelt: a web push subscription's endpoint (its JSON may
 * order keys or add `expirationTime`), an APNs token's bytes (hexadecimal in either case).
 */
function deviceOf(platform: PushPlatform, token: string): string {
  if (platform === 'webpush') return parseWebPushSubscription(token)?.endpoint ?? token;
  return platform === 'apns' ? token.toLowerCase() : token;
}

/** The tokens without repeats (same platform and device), first occurrence kept: one device, one target. */
export function distinctPushTokens<T extends { platform: PushPlatform; token: string }>(tokens: readonly T[]): T[] {
  const seen = new Set<string>();
  return tokens.filter(({ platform, token }) => {
    const key = `${platform}\u0000${deviceOf(platform, token)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
