import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from './signing-keys';

/**
 * Signed, URL-safe tracking tokens: `v1.<kid>.<payload>.<signature>`, the payload base64url JSON and
 * the signature HMAC-SHA256 over `v1.<kid>.<payload>`, so neither the claims nor the key id can be
 * changed. A click token names a link id, never a URL: the redirect target is read from the stored
 * message, so a token cannot send anyone elsewhere.
 */
export type TrackingClaims =
  | { kind: 'open'; notificationId: string }
  | { kind: 'click'; notificationId: string; linkId: string }
  | { kind: 'push-open'; notificationId: string }
  /** `category: '*'` unsubscribes from everything. */
  | { kind: 'unsubscribe'; userId: string; category: string; notificationId?: string };

export type TrackingKind = TrackingClaims['kind'];

export type VerifyFailure = 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' | 'wrong-kind';

export type VerifyResult =
  { valid: true; claims: TrackingClaims; kid: string; expiresAt?: Date } | { valid: false; reason: VerifyFailure };

const VERSION = 'v1';
const MAX_TOKEN_LENGTH = 2048;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const KIND_CODES: Record<TrackingKind, string> = { open: 'o', click: 'c', 'push-open': 'p', unsubscribe: 'u' };

interface Payload {
  k: string;
  n?: string;
  l?: string;
  u?: string;
  g?: string;
  e?: number;
}

// Each secret imported once: an HMAC from a key object costs about a quarter less than from the string.
const keyObjects = new Map<string, KeyObject>();

function mac(secret: string, signedPart: string): Buffer {
  let key = keyObjects.get(secret);
  if (!key) {
    // A ring holds a handful of keys; a process that rotates them often keeps at most a few dozen here.
    if (keyObjects.size >= 64) keyObjects.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keyObjects.set(secret, key);
  }
  return createHmac('sha256', key).update(signedPart, 'ascii').digest();
}

/** Base64url that decodes and re-encodes to itself, so no two strings carry the same bytes. */
function decodeCanonical(segment: string): Buffer | undefined {
  if (!SEGMENT.test(segment)) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}

/** A token carrying `claims`, signed with the ring's first key; `expiresAt` is optional. */
export function signTrackingToken(claims: TrackingClaims, keys: KeyRing, expiresAt?: Date): string {
  const payload: Payload = { k: KIND_CODES[claims.kind] };
  if (claims.kind === 'unsubscribe') {
    payload.u = claims.userId;
    payload.g = claims.category;
  }
  if (claims.notificationId !== undefined) payload.n = claims.notificationId;
  if (claims.kind === 'click') payload.l = claims.linkId;
  if (expiresAt) payload.e = Math.floor(expiresAt.getTime() / 1000);
  const signedPart = `${VERSION}.${keys.signing.kid}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signedPart}.${mac(keys.signing.secret, signedPart).toString('base64url')}`;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

function toClaims(p: Payload): TrackingClaims | undefined {
  switch (p.k) {
    case 'o':
      return isText(p.n) ? { kind: 'open', notificationId: p.n } : undefined;
    case 'p':
      return isText(p.n) ? { kind: 'push-open', notificationId: p.n } : undefined;
    case 'c':
      return isText(p.n) && isText(p.l) ? { kind: 'click', notificationId: p.n, linkId: p.l } : undefined;
    case 'u':
      if (!isText(p.u) || !isText(p.g) || (p.n !== undefined && !isText(p.n))) return undefined;
      return { kind: 'unsubscribe', userId: p.u, category: p.g, ...(p.n ? { notificationId: p.n } : {}) };
    default:
      return undefined;
  }
}

/**
 * Checks a token against every key of the ring (constant-time signature comparison) and, when
 * `expected` is given, its kind. The signature is checked before the payload is parsed.
 */
export function verifyTrackingToken(token: string, keys: KeyRing, now: Date, expected?: TrackingKind): VerifyResult {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { valid: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return { valid: false, reason: 'malformed' };
  const [, kid, payloadPart, signaturePart] = parts;
  const payloadBytes = decodeCanonical(payloadPart);
  const signature = decodeCanonical(signaturePart);
  if (!payloadBytes || !signature) return { valid: false, reason: 'malformed' };
  const key = keys.byKid.get(kid);
  if (!key) return { valid: false, reason: 'unknown-key' };
  const expectedMac = mac(key.secret, `${VERSION}.${kid}.${payloadPart}`);
  if (signature.length !== expectedMac.length || !timingSafeEqual(signature, expectedMac)) {
    return { valid: false, reason: 'bad-signature' };
  }
  let payload: Payload;
  try {
    payload = JSON.parse(payloadBytes.toString('utf8')) as Payload;
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  const claims = payload && typeof payload === 'object' ? toClaims(payload) : undefined;
  if (!claims) return { valid: false, reason: 'malformed' };
  if (payload.e !== undefined && (typeof payload.e !== 'number' || now.getTime() >= payload.e * 1000)) {
    return { valid: false, reason: 'expired' };
  }
  if (expected && claims.kind !== expected) return { valid: false, reason: 'wrong-kind' };
  return { valid: true, claims, kid, ...(payload.e !== undefined ? { expiresAt: new Date(payload.e * 1000) } : {}) };
}
