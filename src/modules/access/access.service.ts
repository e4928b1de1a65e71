import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKey, Scope, hashToken, issueKey } from './domain/api-key';

@Injectable()
export class AccessService {
  private readonly logger = new Logger(AccessService.name);

  constructor(private readonly keys: ApiKeyRepository) {}

  /** Creates a key and returns its token; the token is not stored and cannot be shown again. */
  async createKey(input: {
    name: string;
    scopes: Scope[];
    rateLimit?: number;
  }): Promise<{ key: ApiKey; token: string }> {
    const issued = issueKey(randomBytes(41));
    const key = await this.keys.create({ ...input, keyId: issued.keyId, hash: issued.hash });
    this.logger.log(`created API key ${key.keyId} (${key.scopes.join(',')})`);
    return { key, token: issued.token };
  }

  authenticate(token: string): Promise<ApiKey | undefined> {
    return this.keys.findActiveByHash(hashToken(token));
  }

  listKeys(): Promise<ApiKey[]> {
    return this.keys.findAll();
  }

  async revokeKey(keyId: string): Promise<void> {
    if (!(await this.keys.revoke(keyId, new Date()))) throw new NotFoundException(`no active API key ${keyId}`);
    this.logger.log(`revoked API key ${keyId}`);
  }
}
