import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKey, Scope, hashToken, issueKey } from './domain/api-key';
import { LAST_USED_RESOLUTION_MS, lastUsedIsStale } from './domain/key-lifetime';

@Injectable()
export class AccessService {
  private readonly logger = new Logger(AccessService.name);

  constructor(private readonly keys: ApiKeyRepository) {}

  /** Creates a key and returns its token; the token is not stored and cannot be shown again. */
  async createKey(input: {
    name: string;
    scopes: Scope[];
    rateLimit?: number;
    expiresAt?: Date;
  }): Promise<{ key: ApiKey; token: string }> {
    const issued = issueKey(randomBytes(41));
    const key = await this.keys.create({ ...input, keyId: issued.keyId, hash: issued.hash });
    const expiry = key.expiresAt ? `, expires ${key.expiresAt.toISOString()}` : '';
    this.logger.log(`created API key ${key.keyId} (${key.scopes.join(',')}${expiry})`);
    return { key, token: issued.token };
  }

  /**
   * The key behind a token, unless unknown, revoked or expired. Its last-used time is written only
   * when the stored one is over a minute old: at most one write per key per minute, whatever the traffic.
   */
  async authenticate(token: string, now = new Date()): Promise<ApiKey | undefined> {
    const key = await this.keys.findActiveByHash(hashToken(token), now);
    if (key && lastUsedIsStale(key.lastUsedAt, now)) {
      await this.keys.touch(key.keyId, now, new Date(now.getTime() - LAST_USED_RESOLUTION_MS));
      return { ...key, lastUsedAt: now };
    }
    return key;
  }

  /** The key with this id while it is active (not revoked, not expired): sessions made from a key end with it. */
  findActiveKey(keyId: string, now = new Date()): Promise<ApiKey | undefined> {
    return this.keys.findActiveById(keyId, now);
  }

  /** Every key, oldest first. */
  async listKeys(): Promise<ApiKey[]> {
    return (await this.keys.findPage()) ?? [];
  }

  /** Keys oldest first, all of them or a page; undefined when `after` names no key. */
  listKeyPage(page: { limit?: number; after?: string }): Promise<ApiKey[] | undefined> {
    return this.keys.findPage(page);
  }

  async revokeKey(keyId: string): Promise<void> {
    if (!(await this.keys.revoke(keyId, new Date()))) throw new NotFoundException(`no active API key ${keyId}`);
    this.logger.log(`revoked API key ${keyId}`);
  }
}
