import { createHash } from 'node:crypto';

export const SCOPES = ['ingest', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** A stored key: never the secret, only its hash. */
export interface ApiKey {
  keyId: string;
  name: string;
  scopes: Scope[];
  /** Requests per rate-limit window; undefined means the configured default. */
  rateLimit?: number;
  createdAt: Date;
  revokedAt?: Date;
  /** After this instant the key no longer authenticates; undefined means never. */
  expiresAt?: Date;
  /** The last authenticated use, to the minute (LAST_USED_RESOLUTION_MS). */
  lastUsedAt?: Date;
}

export interface IssuedKey {
  keyId: string;
  /** `jc_<keyId>_<secret>`: shown once, then only its hash exists. */
  token: string;
  hash: string;
}

/** A key's id: the 12 characters after `jc_` in the key. */
export const KEY_ID_PATTERN = /^[a-z0-9]{12}$/;
const TOKEN_PATTERN = /^jc_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** SHA-256 of the whole token; a 256-bit random secret needs no slow hash. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Builds a key from 41 random bytes (9 for the id, 32 for the secret); randomness comes from the caller. */
export function issueKey(random: Buffer): IssuedKey {
  if (random.length < 41) throw new Error('issueKey needs 41 random bytes');
  const keyId = BigInt(`0x${random.subarray(0, 9).toString('hex')}`)
    .toString(36)
    .padStart(12, '0')
    .slice(-12);
  const token = `jc_${keyId}_${random.subarray(9, 41).toString('base64url')}`;
  return { keyId, token, hash: hashToken(token) };
}

/** Extracts a well-formed token from an `Authorization: Bearer ...` header, or undefined. */
export function parseBearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header?.trim() ?? '');
  return match && TOKEN_PATTERN.test(match[1]) ? match[1] : undefined;
}

/** Admin keys may do everything; other scopes only what they name. */
export function scopeAllows(granted: readonly Scope[], required: Scope): boolean {
  return granted.includes('admin') || granted.includes(required);
}
