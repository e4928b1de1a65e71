import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import type { RenderedMessage } from '../templates/template.types';
import type { NotificationMessage } from './domain/notification';
import { MessageRenderRecord } from './message-render.schema';

/**
 * Renders kept in memory for reading, those this process stored or read: they never change under their id,
 * so a cached copy is never stale.
 */
const READ_CACHE_SIZE = 500;

export interface StoredRender {
  renderId: string;
  rendered: RenderedMessage;
}

/** The content-addressed render store (see MessageRenderRecord); the only file touching its model. */
@Injectable()
export class MessageRenderRepository {
  private readonly cache = new Map<string, RenderedMessage>();

  constructor(@InjectModel(MessageRenderRecord.name) private readonly model: Model<MessageRenderRecord>) {}

  /**
   * Stores each distinct render that is not stored yet and marks each as used `at`, in one bulk write.
   * Always asked of the database, never of the cache: an erasure may have removed a render since this
   * process saw it. Once stored, each is remembered for reading: the delivery jobs of the notifications
   * just written for it read it without a round trip.
   */
  async storeMany(renders: readonly StoredRender[], at: Date): Promise<void> {
    const distinct = new Map(renders.map((r) => [r.renderId, r.rendered]));
    if (distinct.size === 0) return;
    // Upserts on the unique id: concurrent writers of the same render both succeed, and a lost race
    // on the unique index only means the render is there already.
    await this.model.collection
      .bulkWrite(
        [...distinct].map(([renderId, rendered]) => ({
          updateOne: {
            filter: { renderId },
            update: { $setOnInsert: { renderId, rendered, createdAt: at }, $set: { usedAt: at } },
            upsert: true,
          },
        })),
        { ordered: false },
      )
      .catch((error: { code?: number; writeErrors?: Array<{ code?: number }> }) => {
        const errors = error.writeErrors ?? [error];
        if (!errors.every((e) => e.code === 11000)) throw error;
      });
    for (const [renderId, rendered] of distinct) this.remember(renderId, rendered);
  }

  /**
   * The render of each message, in order: inline on a record written before the store existed, else
   * from the store; undefined for a message without one.
   */
  async rendersOf(
    messages: ReadonlyArray<NotificationMessage | undefined>,
  ): Promise<Array<RenderedMessage | undefined>> {
    const stored = await this.findMany(messages.flatMap((m) => (m?.rendered || !m?.renderId ? [] : [m.renderId])));
    return messages.map((m) => m?.rendered ?? stored.get(m?.renderId ?? ''));
  }

  /** The stored renders among `renderIds`, by id. */
  async findMany(renderIds: readonly string[]): Promise<Map<string, RenderedMessage>> {
    const found = new Map<string, RenderedMessage>();
    const missing: string[] = [];
    for (const id of new Set(renderIds)) {
      const cached = this.cache.get(id);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const docs = await this.model.collection
      .find({ renderId: { $in: missing } }, { projection: { _id: 0, renderId: 1, rendered: 1 } })
      .toArray();
    for (const doc of docs as unknown as StoredRender[]) {
      found.set(doc.renderId, doc.rendered);
      this.remember(doc.renderId, doc.rendered);
    }
    return found;
  }

  /**
   * Removes these renders unless one was used (`storeMany`) since `notUsedSince`: the caller checked,
   * after that instant, that no notification refers to them, and a run storing one again after creating
   * its notifications keeps it.
   */
  async deleteMany(renderIds: readonly string[], notUsedSince: Date): Promise<number> {
    if (renderIds.length === 0) return 0;
    for (const id of renderIds) this.cache.delete(id);
    const filter = { renderId: { $in: renderIds }, usedAt: { $not: { $gte: notUsedSince } } };
    return (await this.model.deleteMany(filter)).deletedCount;
  }

  private remember(renderId: string, rendered: RenderedMessage): void {
    // One remembered again becomes the newest, the last to be forgotten.
    this.cache.delete(renderId);
    if (this.cache.size >= READ_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(renderId, rendered);
  }
}
