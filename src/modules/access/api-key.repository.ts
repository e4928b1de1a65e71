import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ApiKeyRecord } from './api-key.schema';
import { ApiKey, Scope } from './domain/api-key';

type Lean = ApiKeyRecord & { _id: unknown };

function toApiKey(doc: Lean): ApiKey {
  return {
    keyId: doc.keyId,
    name: doc.name,
    scopes: doc.scopes,
    createdAt: doc.createdAt,
    ...(doc.rateLimit != null && { rateLimit: doc.rateLimit }),
    ...(doc.revokedAt != null && { revokedAt: doc.revokedAt }),
    ...(doc.expiresAt != null && { expiresAt: doc.expiresAt }),
    ...(doc.lastUsedAt != null && { lastUsedAt: doc.lastUsedAt }),
  };
}

@Injectable()
export class ApiKeyRepository {
  constructor(@InjectModel(ApiKeyRecord.name) private readonly model: Model<ApiKeyRecord>) {}

  async create(key: {
    keyId: string;
    hash: string;
    name: string;
    scopes: Scope[];
    rateLimit?: number;
    expiresAt?: Date;
  }): Promise<ApiKey> {
    const doc = await this.model.create(key);
    return toApiKey(doc.toObject());
  }

  /** The key with this hash, unless it is revoked or expired at `now`. */
  async findActiveByHash(hash: string, now: Date): Promise<ApiKey | undefined> {
    const doc = await this.model
      .findOne({ hash, revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] })
      .lean<Lean>();
    return doc ? toApiKey(doc) : undefined;
  }

  /** The key with this id, unless it is revoked or expired at `now`. */
  async findActiveById(keyId: string, now: Date): Promise<ApiKey | undefined> {
    const doc = await this.model
      .findOne({ keyId, revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] })
      .lean<Lean>();
    return doc ? toApiKey(doc) : undefined;
  }

  /** Records a use at `now` unless one at or after `staleBefore` is recorded (by any replica). */
  async touch(keyId: string, now: Date, staleBefore: Date): Promise<void> {
    await this.model.updateOne(
      { keyId, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: staleBefore } }] },
      { $set: { lastUsedAt: now } },
    );
  }

  /**
   * Keys oldest first (ties by id): at most `limit` of them, after the key `after` when given.
   * Undefined when no key has the id `after`.
   */
  async findPage(page: { limit?: number; after?: string } = {}): Promise<ApiKey[] | undefined> {
    let filter = {};
    if (page.after !== undefined) {
      const cursor = await this.model.findOne({ keyId: page.after }, { createdAt: 1 }).lean<Lean>();
      if (!cursor) return undefined;
      filter = {
        $or: [{ createdAt: { $gt: cursor.createdAt } }, { createdAt: cursor.createdAt, keyId: { $gt: page.after } }],
      };
    }
    const query = this.model.find(filter).sort({ createdAt: 1, keyId: 1 });
    if (page.limit !== undefined) void query.limit(page.limit);
    return (await query.lean<Lean[]>()).map(toApiKey);
  }

  /** Marks a key revoked; returns false when no active key has that id. */
  async revoke(keyId: string, at: Date): Promise<boolean> {
    const result = await this.model.updateOne({ keyId, revokedAt: null }, { $set: { revokedAt: at } });
    return result.modifiedCount === 1;
  }
}
