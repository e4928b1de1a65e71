import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { ModelRepository, StoredModelInfo } from '../../common/model-store/model.repository';
import { Settings } from '../../config/settings';
import { EventRepository } from '../ingest/event.repository';
import { JourneyBuildRunRepository } from './journey-build-run.repository';
import { chooseEmbedder, EmbedderChoice } from './domain/embedder-choice';
import { ExtractedEvent, extractEventKeywords, sortEvents } from './domain/keywords';
import { PlatformEmbedder } from './domain/platform-embedder';
import { trainPlatformEmbedder } from './domain/platform-training';
import { trainingSample } from './domain/training-sample';

export const PLATFORM_EMBEDDER_KIND = 'platform-embedder';
const CACHED_VERSIONS = 3;
/**
 * Versions kept in the model store (the console lists as many), besides those a build in progress uses: an older
 * one would keep the counts of users erased since, and the words of any trained before every word needed two users.
 */
const STORED_VERSIONS = 3;
/** Users whose events one read fetches while gathering the training sample. */
const TRAINING_READ_USERS = 500;

/** A stored platform model and the embedder builds cluster with (the model, or the lexical fallback). */
export interface VersionedEmbedder extends EmbedderChoice {
  version: string;
  model: PlatformEmbedder;
}

/** A training's model: its version, whether it differs from the latest one, and when an earlier version was made the latest again. */
export interface RetrainResult {
  version: string;
  changed: boolean;
  restoredAt?: Date;
}

/** What GET /v1/journey-models/current reports. */
export interface EmbedderStatus {
  version: string;
  trainedAt: Date;
  users: number;
  events: number;
  vocabulary: number;
  /** Keywords with a learnt recurrence rate, and the (user, keyword) pairs it was learnt from (absent before v3). */
  recurrence?: { keywords: number; examples: number };
  clustering: EmbedderChoice['kind'];
  reason?: string;
  /** Stored events now, and the count at which the model is retrained for growth (absent when disabled). */
  eventsNow: number;
  retrainAtEvents?: number;
}

/**
 * The trained platform embedder: stored in the model store under a content-hash version (so retraining on
 * unchanged data yields the same version), loaded once per version and kept in memory. A model trained on
 * too little is stored but not clustered with; it is retrained once the events have grown enough.
 */
@Injectable()
export class PlatformEmbedderService {
  private readonly logger = new Logger(PlatformEmbedderService.name);
  private readonly cache = new Map<string, Promise<VersionedEmbedder>>();
  private readonly growth: number;
  private readonly maxUsers: number;
  private training?: Promise<RetrainResult>;

  constructor(
    config: ConfigService<Settings, true>,
    private readonly models: ModelRepository,
    private readonly events: EventRepository,
    private readonly runs: JourneyBuildRunRepository,
  ) {
    const journeys = config.get('journeys', { infer: true });
    this.growth = journeys.retrainGrowth;
    this.maxUsers = journeys.embedderMaxUsers;
  }

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
      this.remember(version, loaded);
    }
    return loaded;
  }

  /** Whether the events have grown past the retrain threshold since the latest model (false with none stored). */
  async hasGrown(): Promise<boolean> {
    const [latest] = await this.models.listVersions(PLATFORM_EMBEDDER_KIND, 1);
    const threshold = latest && this.retrainAt(latest);
    return threshold !== undefined && (await this.events.countAll()) >= threshold;
  }

  /** The versions stored after `version` (made the latest since), newest first; none when it is not stored. */
  async newerThan(version: string): Promise<Set<string>> {
    const stored = await this.models.listVersions(PLATFORM_EMBEDDER_KIND, 0);
    const at = stored.findIndex((info) => info.version === version);
    return new Set(stored.slice(0, Math.max(0, at)).map((info) => info.version));
  }

  /** The latest model as the API reports it, or undefined when none was trained yet. */
  async status(): Promise<EmbedderStatus | undefined> {
    const [latest] = await this.models.listVersions(PLATFORM_EMBEDDER_KIND, 1);
    if (!latest) return undefined;
    const [{ model, kind, reason }, eventsNow] = await Promise.all([
      this.forVersion(latest.version),
      this.events.countAll(),
    ]);
    const retrainAt = this.retrainAt(latest);
    return {
      version: latest.version,
      trainedAt: latest.createdAt,
      users: model.training?.users ?? numberMeta(latest, 'users'),
      events: model.training?.events ?? numberMeta(latest, 'events'),
      vocabulary: model.vocab.length,
      ...(model.recurrence && {
        recurrence: { keywords: model.recurrence.json.keys.length, examples: model.recurrence.json.examples },
      }),
      clustering: kind,
      ...(reason && { reason }),
      eventsNow,
      ...(retrainAt !== undefined && { retrainAtEvents: retrainAt }),
    };
  }

  /** One stored version in a sentence: what it was trained on, and whether builds cluster with it or with the lexical fallback. */
  async describe(version: string): Promise<string> {
    const { model, kind, reason } = await this.forVersion(version);
    const trained = model.training
      ? `trained on ${model.training.events} events of ${model.training.users} users`
      : 'trained on an unrecorded number of events';
    const clustering =
      kind === 'platform' ? 'clustering used it' : `clustering fell back to lexical, as it was ${reason}`;
    return `model ${version}: ${trained}, ${clustering}`;
  }

  /** Trains on the stored events (a sample of users past JOURNEYS_EMBEDDER_MAX_USERS) and saves the model; `changed` says whether it differs from the latest one. */
  retrain(): Promise<RetrainResult> {
    this.training ??= this.trainAndSave().finally(() => (this.training = undefined));
    return this.training;
  }

  /**
   * Deletes stored versions past the STORED_VERSIONS latest, but `trained` and those a build run not finished yet
   * uses.
   */
  private async deleteOldVersions(trained: string): Promise<void> {
    const [stored, inUse] = await Promise.all([
      this.models.listVersions(PLATFORM_EMBEDDER_KIND, 0),
      this.runs.findModelVersionsInProgress(),
    ]);
    inUse.add(trained);
    const old = stored.slice(STORED_VERSIONS).flatMap(({ version }) => (inUse.has(version) ? [] : [version]));
    await this.models.deleteVersions(PLATFORM_EMBEDDER_KIND, old);
    for (const version of old) this.cache.delete(version);
    if (old.length > 0) this.logger.log(`deleted ${old.length} older platform embedder version(s)`);
  }

  private retrainAt(latest: StoredModelInfo): number | undefined {
    if (this.growth <= 0) return undefined;
    return Math.max(1, Math.ceil(this.growth * numberMeta(latest, 'events')));
  }

  private remember(version: string, loaded: Promise<VersionedEmbedder>): void {
    if (this.cache.size >= CACHED_VERSIONS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(version, loaded);
  }

  private async load(version: string): Promise<VersionedEmbedder> {
    const stored = await this.models.findVersion(PLATFORM_EMBEDDER_KIND, version);
    if (!stored) throw new Error(`platform embedder ${version} is not stored`);
    return this.choose(version, PlatformEmbedder.fromJSON(JSON.parse(stored.payload.toString('utf8'))));
  }

  private choose(version: string, model: PlatformEmbedder): VersionedEmbedder {
    const choice = chooseEmbedder(model);
    if (choice.reason) {
      this.logger.warn(
        `platform embedder ${version} ${choice.reason}: clustering uses character n-grams and word overlap until a retrain on more data`,
      );
    }
    return { version, model, ...choice };
  }

  private async trainAndSave(): Promise<RetrainResult> {
    const started = Date.now();
    // When this training read the events: of two trainings at once (in two processes), the later reader's model stays the latest.
    const readAt = new Date();
    // Past the configured size the model learns from a fixed sample of users: word co-occurrence settles
    // long before every user is read, and reading and holding every event would bound the platform's size.
    const [everyone, eventsNow] = await Promise.all([this.events.findUserIds(), this.events.countAll()]);
    const sample = trainingSample(everyone, this.maxUsers);
    // Training makes two passes over a synchronous source, so the compact extracted form is held in memory.
    const users: ExtractedEvent[][] = [];
    let eventCount = 0;
    for (let from = 0; from < sample.length; from += TRAINING_READ_USERS) {
      const chunk = sample.slice(from, from + TRAINING_READ_USERS);
      const histories = await this.events.findHistories(chunk);
      for (const userId of chunk) {
        const events = histories.get(userId)?.events ?? [];
        if (events.length === 0) continue;
        users.push(sortEvents(events.map(extractEventKeywords)));
        eventCount += events.length;
      }
    }
    const model = trainPlatformEmbedder(() => users);
    const payload = Buffer.from(JSON.stringify(model.toJSON()), 'utf8');
    const version = createHash('sha256').update(payload).digest('hex').slice(0, 16);
    const [latest] = await this.models.listVersions(PLATFORM_EMBEDDER_KIND, 1);
    if (latest && latest.version !== version && numberMeta(latest, 'eventsReadAt') > readAt.getTime()) {
      // Another process trained on the events stored since this one read them, and made its model the latest
      // (starting its full run): storing this one would put the older events' model back in use.
      this.logger.log(
        `platform embedder ${version} not stored: ${latest.version} was trained since on events read later`,
      );
      return { version: latest.version, changed: false };
    }
    const changed = latest?.version !== version;
    let restoredAt: Date | undefined;
    if (changed) {
      const meta = {
        eventsReadAt: readAt.getTime(),
        // The growth threshold compares with every stored event, not only the sample's.
        users: everyone.length,
        events: Math.max(eventsNow, eventCount),
        trainedUsers: users.length,
        trainedEvents: eventCount,
        vocabulary: model.vocab.length,
      };
      // An earlier version trained again (the events it learnt from are those stored again, say after an
      // erasure) becomes the latest once more, instead of staying behind the one it replaces.
      restoredAt = latest && (await this.models.promote(PLATFORM_EMBEDDER_KIND, version, latest.createdAt, meta));
      if (!restoredAt) await this.models.save(PLATFORM_EMBEDDER_KIND, version, payload, meta);
      await this.deleteOldVersions(version);
    }
    this.remember(version, Promise.resolve(this.choose(version, model)));
    this.logger.log(
      `platform embedder ${version}: ${users.length} users${users.length < everyone.length ? ` (a sample of ${everyone.length})` : ''}, ${eventCount} events, vocabulary ${model.vocab.length}, recurrence of ${model.recurrence?.json.keys.length ?? 0} keywords, ${Date.now() - started} ms${changed ? '' : ' (unchanged)'}`,
    );
    return { version, changed, ...(restoredAt && { restoredAt }) };
  }
}

function numberMeta(info: StoredModelInfo, key: string): number {
  const value = info.meta[key];
  return typeof value === 'number' ? value : 0;
}
