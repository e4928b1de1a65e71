import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ModelRepository } from '../../common/model-store/model.repository';
import { EventRepository } from '../ingest/event.repository';
import { ExtractedEvent, extractEventKeywords, sortEvents } from './domain/keywords';
import { PlatformEmbedder } from './domain/platform-embedder';
import { trainPlatformEmbedder } from './domain/platform-training';

export const PLATFORM_EMBEDDER_KIND = 'platform-embedder';
const CACHED_VERSIONS = 3;

export interface VersionedEmbedder {
  version: string;
  embedder: PlatformEmbedder;
}

/**
 * The trained platform embedder: stored in the model store under a content-hash version (so retraining on
 * unchanged data yields the same version), loaded once per version and kept in memory.
 */
@Injectable()
export class PlatformEmbedderService {
  private readonly logger = new Logger(PlatformEmbedderService.name);
  private readonly cache = new Map<string, Promise<VersionedEmbedder>>();
  private training?: Promise<{ version: string; changed: boolean }>;

  constructor(
    private readonly models: ModelRepository,
    private readonly events: EventRepository,
  ) {}

  /** The latest stored embedder, training one from all events first when none is stored yet. */
  async current(): Promise<VersionedEmbedder> {
    const [latest] = await this.models.listVersions(PLATFORM_EMBEDDER_KIND, 1);
    if (latest) return this.forVersion(latest.version);
    return this.forVersion((await this.retrain()).version);
  }

  /** A stored version, loaded from the model store at most once per process while it stays cached. */
  forVersion(version: string): Promise<VersionedEmbedder> {
    let loaded = this.cache.get(version);
    if (!loaded) {
      loaded = this.load(version);
      loaded.catch(() => this.cache.delete(version));
      if (this.cache.size >= CACHED_VERSIONS) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(version, loaded);
    }
    return loaded;
  }

  /** Trains on every stored event and saves the model; `changed` says whether it differs from the latest one. */
  retrain(): Promise<{ version: string; changed: boolean }> {
    this.training ??= this.trainAndSave().finally(() => (this.training = undefined));
    return this.training;
  }

  private async load(version: string): Promise<VersionedEmbedder> {
    const stored = await this.models.findVersion(PLATFORM_EMBEDDER_KIND, version);
    if (!stored) throw new Error(`platform embedder ${version} is not stored`);
    return { version, embedder: PlatformEmbedder.fromJSON(JSON.parse(stored.payload.toString('utf8'))) };
  }

  private async trainAndSave(): Promise<{ version: string; changed: boolean }> {
    const started = Date.now();
    // Training makes two passes over a synchronous source, so the compact extracted form is held in memory.
    const users: ExtractedEvent[][] = [];
    let eventCount = 0;
    for await (const events of this.events.streamByUser()) {
      users.push(sortEvents(events.map(extractEventKeywords)));
      eventCount += events.length;
    }
    const embedder = trainPlatformEmbedder(() => users);
    const payload = Buffer.from(JSON.stringify(embedder.toJSON()), 'utf8');
    const version = createHash('sha256').update(payload).digest('hex').slice(0, 16);
    const [latest] = await this.models.listVersions(PLATFORM_EMBEDDER_KIND, 1);
    const changed = latest?.version !== version;
    if (changed || !latest) {
      await this.models.save(PLATFORM_EMBEDDER_KIND, version, payload, {
        users: users.length,
        events: eventCount,
        vocabulary: embedder.vocab.length,
      });
    }
    this.cache.set(version, Promise.resolve({ version, embedder }));
    this.logger.log(
      `platform embedder ${version}: ${users.length} users, ${eventCount} events, vocabulary ${embedder.vocab.length}, ${Date.now() - started} ms${changed ? '' : ' (unchanged)'}`,
    );
    return { version, changed };
  }
}
