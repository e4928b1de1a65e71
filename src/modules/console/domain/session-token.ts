import { createHmac, timingSafeEqual } from 'node:crypto';

/** One HMAC key of the session key ring; `kid` travels in each cookie so rotation keeps old sessions valid. */
export interface SessionKey {
  kid: string;
  secret: string;
}

export interface SessionClaims {
  sessionId: string;
  expiresAt: Date;
}

export type SessionTokenCheck =
  { valid: true; claims: SessionClaims } | { valid: false; reason: 'malformed' | 'unknown-key' | 'forged' | 'expired' };

const PREFIX = 's1';
const SESSION_ID = /^[A-Za-z0-9_-]{22,64}$/;
const SECONDS = /^[0-9]{1,12}$/;

function signature(secret: string, signed: string): Buffer {
  return createHmac('sha256', secret).update(`console-session|${signed}`, 'utf8').digest();
}

/** `s1.<kid>.<sessionId>.<expiry seconds>.<HMAC-SHA256>`: nothing in it can change without the key. */
export function signSessionToken(claims: SessionClaims, key: SessionKey): string {
  const signed = `${PREFIX}.${key.kid}.${claims.sessionId}.${Math.floor(claims.expiresAt.getTime() / 1000)}`;
  return `${signed}.${signature(key.secret, signed).toString('base64url')}`;
}

/** Checks a cookie value against the ring's keys and the clock; only a valid result carries claims. */
export function verifySessionToken(token: string, keys: ReadonlyMap<string, SessionKey>, now: Date): SessionTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== PREFIX || token.length > 300) return { valid: false, reason: 'malformed' };
  const [, kid, sessionId, seconds, mac] = parts;
  if (!SESSION_ID.test(sessionId) || !SECONDS.test(seconds)) return { valid: false, reason: 'malformed' };
  const key = keys.get(kid);
  if (!key) return { valid: false, reason: 'unknown-key' };
  const expected = signature(key.secret, parts.slice(0, 4).join('.'));
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, reason: 'forged' };
  const expiresAt = new Date(Number(seconds) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { valid: false, reason: 'expired' };
  return { valid: true, claims: { sessionId, expiresAt } };
}

/** The form token bound to one session (or one sign-in nonce): an HMAC the page cannot compute itself. */
export function formToken(key: SessionKey, purpose: 'session' | 'sign-in', id: string): string {
  return createHmac('sha256', key.secret).update(`console-form|${purpose}|${id}`, 'utf8').digest('base64url');
}

/** Constant-time comparison of a submitted form token with the expected one. */
export function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  // Lengths in bytes: a token of as many characters, some of them multi-byte, is simply another token.
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
