/** One HMAC key; `kid` travels in every token so verification finds the key that signed it. */
export interface SigningKey {
  kid: string;
  secret: string;
}

/** The keys of a deployment: the first signs, all verify, so a new key can be put first and old tokens still work. */
export interface KeyRing {
  signing: SigningKey;
  byKid: ReadonlyMap<string, SigningKey>;
}

export const KID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;
export const MIN_SECRET_LENGTH = 32;

export class SigningKeyError extends Error {
  readonly code = 'tracking.invalid-keys';
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/**
 * Parses `kid:secret,kid:secret` (the TRACKING_SIGNING_KEYS format). Messages name the key id or
 * position, never the secret.
 */
export function parseSigningKeys(raw: string): SigningKey[] {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new SigningKeyError('must list at least one kid:secret pair');
  return entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const kid = colon === -1 ? '' : entry.slice(0, colon);
    const secret = colon === -1 ? '' : entry.slice(colon + 1);
    if (!KID_PATTERN.test(kid)) {
      throw new SigningKeyError(`entry ${index + 1} needs a key id of 1-16 letters, digits, "-" or "_" before ":"`);
    }
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new SigningKeyError(`key "${kid}" needs a secret of at least ${MIN_SECRET_LENGTH} characters`);
    }
    return { kid, secret };
  });
}

/** A key ring over parsed keys; duplicate key ids are refused because verification would be ambiguous. */
export function createKeyRing(keys: readonly SigningKey[]): KeyRing {
  if (keys.length === 0) throw new SigningKeyError('must list at least one kid:secret pair');
  const byKid = new Map<string, SigningKey>();
  for (const key of keys) {
    if (byKid.has(key.kid)) throw new SigningKeyError(`key id "${key.kid}" is listed twice`);
    byKid.set(key.kid, key);
  }
  return { signing: keys[0], byKid };
}
