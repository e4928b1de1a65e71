import { importPKCS8, KeyLike, SignJWT } from 'jose';
import type { SigningAlgorithm } from '../domain/push-credentials';

/**
 * Signs provider JWTs (FCM's OAuth2 assertion, APNs provider tokens) with a PKCS#8 PEM key: the only
 * file that imports jose. The key is parsed once, at startup, so a bad key stops the process early.
 */
export class JwtSigner {
  private constructor(
    private readonly key: KeyLike,
    private readonly algorithm: SigningAlgorithm,
    private readonly keyId?: string,
  ) {}

  /** Parses `pem`; throws an Error naming `source` (the setting) when the key is unusable. */
  static async create(pem: string, algorithm: SigningAlgorithm, keyId: string | undefined, source: string) {
    try {
      return new JwtSigner(await importPKCS8(pem, algorithm), algorithm, keyId);
    } catch (error) {
      throw new Error(`${source} does not hold a PKCS#8 ${algorithm} private key: ${(error as Error).message}`);
    }
  }

  /** A compact JWS over `claims`, with `iat` set from `now` (seconds). */
  sign(claims: Record<string, unknown>, now: Date): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: this.algorithm, typ: 'JWT', ...(this.keyId ? { kid: this.keyId } : {}) })
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .sign(this.key);
  }
}
