import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import { Model } from 'mongoose';
import { ModelChunkRecord, StoredModelRecord } from './stored-model.schema';

export const MODEL_CHUNK_BYTES = 4 * 1024 * 1024;

export interface StoredModelInfo {
  kind: string;
  version: string;
  byteLength: number;
  sha256: string;
  meta: Record<string, unknown>;
  createdAt: Date;
}

export interface StoredModel extends StoredModelInfo {
  payload: Buffer;
}

/** Versioned model storage: bytes in chunks, a header marked complete last, checksummed on read. */
@Injectable()
export class ModelRepository {
  constructor(
    @InjectModel(StoredModelRecord.name) private readonly models: Model<StoredModelRecord>,
    @InjectModel(ModelChunkRecord.name) private readonly chunks: Model<ModelChunkRecord>,
  ) {}

  /**
   * Saves a version; saving the same kind and version again replaces an incomplete earlier attempt, and
   * concurrent saves of the same contents all succeed.
   */
  async save(kind: string, version: string, payload: Buffer, meta: Record<string, unknown> = {}): Promise<void> {
    const chunkCount = Math.max(1, Math.ceil(payload.length / MODEL_CHUNK_BYTES));
    const sha256 = createHash('sha256').update(payload).digest('hex');
    const existing = await this.models.findOne({ kind, version }).lean();
    if (existing?.complete) {
      if (existing.sha256 === sha256) return;
      throw new Error(`model ${kind}@${version} already exists with other contents`);
    }
    await this.models.updateOne(
      { kind, version },
      { $set: { byteLength: payload.length, chunkCount, sha256, meta, complete: false } },
      { upsert: true },
    );
    // Chunks are written in place (upserts, not delete then insert), so processes saving the same version at
    // once (the version names its contents) write the same bytes and each finds every chunk present.
    await this.chunks.deleteMany({ kind, version, n: { $gte: chunkCount } });
    for (let n = 0; n < chunkCount; n += 1) {
      const data = payload.subarray(n * MODEL_CHUNK_BYTES, (n + 1) * MODEL_CHUNK_BYTES);
      await this.chunks.updateOne({ kind, version, n }, { $set: { data } }, { upsert: true });
    }
    await this.models.updateOne({ kind, version }, { $set: { complete: true } });
  }

  /**
   * Makes a stored version the latest again (a training that gave the same contents once more), with this
   * training's `meta`, unless it already was made so after `latestAt` (the latest version's date): concurrent
   * trainings promote it once. Returns the version's date, or undefined when it is not stored.
   */
  async promote(
    kind: string,
    version: string,
    latestAt: Date,
    meta: Record<string, unknown>,
  ): Promise<Date | undefined> {
    await this.models.collection.updateOne(
      { kind, version, complete: true, createdAt: { $lte: latestAt } },
      { $set: { createdAt: new Date(), meta } },
    );
    const header = await this.models.findOne({ kind, version, complete: true }, { createdAt: 1 }).lean();
    return header?.createdAt;
  }

  async findLatest(kind: string): Promise<StoredModel | undefined> {
    const header = await this.models.findOne({ kind, complete: true }).sort({ createdAt: -1, _id: -1 }).lean();
    return header ? this.load(header) : undefined;
  }

  async findVersion(kind: string, version: string): Promise<StoredModel | undefined> {
    const header = await this.models.findOne({ kind, version, complete: true }).lean();
    return header ? this.load(header) : undefined;
  }

  async listVersions(kind: string, limit = 20): Promise<StoredModelInfo[]> {
    const headers = await this.models
      .find({ kind, complete: true })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean();
    return headers.map((h) => toInfo(h));
  }

  /** Deletes these versions of a kind: headers first, so none is found while its chunks go. */
  async deleteVersions(kind: string, versions: readonly string[]): Promise<void> {
    if (versions.length === 0) return;
    await this.models.deleteMany({ kind, version: { $in: [...versions] } });
    await this.chunks.deleteMany({ kind, version: { $in: [...versions] } });
  }

  private async load(header: StoredModelRecord): Promise<StoredModel> {
    const parts = await this.chunks.find({ kind: header.kind, version: header.version }).sort({ n: 1 }).lean();
    const payload = Buffer.concat(parts.map((p) => Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength)));
    const sha256 = createHash('sha256').update(payload).digest('hex');
    if (parts.length !== header.chunkCount || sha256 !== header.sha256) {
      throw new Error(`model ${header.kind}@${header.version} is corrupt (checksum mismatch)`);
    }
    return { ...toInfo(header), payload };
  }
}

function toInfo(header: StoredModelRecord): StoredModelInfo {
  return {
    kind: header.kind,
    version: header.version,
    byteLength: header.byteLength,
    sha256: header.sha256,
    meta: header.meta ?? {},
    createdAt: header.createdAt,
  };
}
