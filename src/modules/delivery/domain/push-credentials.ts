import { createPrivateKey } from 'node:crypto';

/** Push-provider key material that cannot be used; the message says what is wrong and never quotes the key. */
export class PushCredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushCredentialError';
  }
}

export interface ServiceAccount {
  projectId: string;
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
  tokenUri: string;
}

/** How a provider signs its JWTs: FCM's OAuth2 assertion with RSA, APNs provider tokens with P-256. */
export type SigningAlgorithm = 'RS256' | 'ES256';

/** Checks that `pem` is an unencrypted PKCS#8 private key that signs with `algorithm`. */
export function checkSigningKey(pem: string, algorithm: SigningAlgorithm): void {
  const problem = new PushCredentialError(`does not hold a PKCS#8 ${algorithm} private key`);
  // PKCS#1 (BEGIN RSA PRIVATE KEY) and SEC1 (BEGIN EC PRIVATE KEY) keys parse too, but the signer reads PKCS#8 only.
  if (!pem.includes('-----BEGIN PRIVATE KEY-----')) throw problem;
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw problem;
  }
  const usable =
    algorithm === 'RS256'
      ? key.asymmetricKeyType === 'rsa'
      : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (!usable) throw problem;
}

/** Parses a Firebase service-account key file: JSON of type `service_account` with an RS256 private key. */
export function parseServiceAccount(text: string): ServiceAccount {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message would quote the file, and the file holds the key.
    throw new PushCredentialError('is not a JSON file');
  }
  const fields = (json ?? {}) as Record<string, unknown>;
  const field = (name: string) =>
    typeof fields[name] === 'string' && fields[name] ? (fields[name] as string) : undefined;
  const missing = ['project_id', 'client_email', 'private_key'].filter((name) => !field(name));
  if (fields.type !== 'service_account' || missing.length > 0) {
    throw new PushCredentialError(
      `is not a service-account key (type "service_account" with ${missing.join(', ') || 'all fields'})`,
    );
  }
  checkSigningKey(field('private_key')!, 'RS256');
  return {
    projectId: field('project_id')!,
    clientEmail: field('client_email')!,
    privateKey: field('private_key')!,
    privateKeyId: field('private_key_id'),
    tokenUri: field('token_uri') ?? 'https://oauth2.googleapis.com/token',
  };
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Checks a VAPID public key as push services read it: base64url of an uncompressed P-256 point (65 bytes). */
export function checkVapidPublicKey(value: string): void {
  const bytes = BASE64URL.test(value) ? Buffer.from(value, 'base64url') : undefined;
  if (bytes?.length !== 65 || bytes[0] !== 0x04) {
    throw new PushCredentialError('must be a base64url P-256 public key (65 bytes, uncompressed)');
  }
}

/** Checks a VAPID private key: base64url of a 32-byte P-256 private key. */
export function checkVapidPrivateKey(value: string): void {
  if (!BASE64URL.test(value) || Buffer.from(value, 'base64url').length !== 32) {
    throw new PushCredentialError('must be a base64url P-256 private key (32 bytes)');
  }
}
