import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { Settings } from '../../../config/settings';
import { AccessService } from '../../access/access.service';
import { parseBearer } from '../../access/domain/api-key';
import { createKeyRing, KeyRing } from '../../tracking/domain/signing-keys';
import { formToken, sameToken, signSessionToken, verifySessionToken } from '../domain/session-token';
import { ConsoleSessionRepository } from './console-session.repository';

/** A signed-in person: the admin key they signed in with and the form token of their pages. */
export interface ConsoleSession {
  sessionId: string;
  keyId: string;
  keyName: string;
  expiresAt: Date;
  csrf: string;
}

export type SessionRefusal = 'malformed' | 'unknown-key' | 'forged' | 'expired' | 'signed-out' | 'key-revoked';

/**
 * Console sign-in: an admin API key is exchanged for a server-side session whose id travels in an
 * HMAC-signed cookie. A cookie is honoured only while its signature checks, its expiry is ahead, its
 * session is stored (sign-out deletes it) and its API key is still active.
 */
@Injectable()
export class ConsoleSessionsService {
  private readonly logger = new Logger(ConsoleSessionsService.name);
  private readonly ring?: KeyRing;
  readonly ttlMs: number;

  constructor(
    config: ConfigService<Settings, true>,
    private readonly access: AccessService,
    private readonly sessions: ConsoleSessionRepository,
  ) {
    const settings = config.get('console', { infer: true });
    this.ttlMs = settings.sessionTtlMinutes * 60_000;
    if (settings.sessionKeys) this.ring = createKeyRing(settings.sessionKeys);
    else if (config.get('app', { infer: true }).env !== 'production') {
      // A per-process key: fine on one development process, useless across replicas, hence refused in production.
      this.ring = createKeyRing([{ kid: 'process', secret: randomBytes(32).toString('base64url') }]);
    } else {
      this.logger.warn('console sign-in is off: set CONSOLE_SESSION_KEYS');
    }
  }

  /** Whether sign-in can work at all (production needs CONSOLE_SESSION_KEYS). */
  get enabled(): boolean {
    return this.ring !== undefined;
  }

  /** A new sign-in form: a random nonce for its cookie and the token its hidden field must carry. */
  signInForm(): { nonce: string; token: string } | undefined {
    if (!this.ring) return undefined;
    const nonce = randomBytes(18).toString('base64url');
    return { nonce, token: formToken(this.ring.signing, 'sign-in', nonce) };
  }

  /** Whether a submitted sign-in form belongs to the nonce of this browser's sign-in cookie. */
  checkSignInForm(nonce: string | undefined, token: unknown): boolean {
    if (!this.ring || !nonce) return false;
    return sameToken(token, formToken(this.ring.signing, 'sign-in', nonce));
  }

  /** Exchanges an admin API key for a session cookie value; undefined when the key is not an active admin key. */
  async signIn(apiKey: string, now = new Date()): Promise<{ cookie: string; expiresAt: Date } | undefined> {
    if (!this.ring) return undefined;
    const token = parseBearer(`Bearer ${apiKey.trim()}`);
    const key = token ? await this.access.authenticate(token, now) : undefined;
    if (!key || !key.scopes.includes('admin')) {
      this.logger.warn(`console sign-in refused${key ? ` for key ${key.keyId} (not an admin key)` : ''}`);
      return undefined;
    }
    const sessionId = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await this.sessions.create({ sessionId, keyId: key.keyId, createdAt: now, expiresAt });
    this.logger.log(`console session started for key ${key.keyId}`);
    return { cookie: signSessionToken({ sessionId, expiresAt }, this.ring.signing), expiresAt };
  }

  /** The session behind a cookie value, or why it is refused. */
  async resolve(cookie: string, now = new Date()): Promise<ConsoleSession | { refused: SessionRefusal }> {
    if (!this.ring) return { refused: 'unknown-key' };
    const check = verifySessionToken(cookie, this.ring.byKid, now);
    if (!check.valid) return { refused: check.reason };
    const stored = await this.sessions.findLive(check.claims.sessionId, now);
    if (!stored) return { refused: 'signed-out' };
    const key = await this.access.findActiveKey(stored.keyId, now);
    if (!key) return { refused: 'key-revoked' };
    return {
      sessionId: stored.sessionId,
      keyId: key.keyId,
      keyName: key.name,
      expiresAt: stored.expiresAt,
      csrf: formToken(this.ring.signing, 'session', stored.sessionId),
    };
  }

  async signOut(session: ConsoleSession): Promise<void> {
    await this.sessions.delete(session.sessionId);
    this.logger.log(`console session ended for key ${session.keyId}`);
  }
}
