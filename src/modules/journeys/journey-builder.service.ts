import { Inject, Injectable, Logger } from '@nestjs/common';
import { AudienceFactsRepository } from '../audience/audience-facts.repository';
import { journeyFactsOf } from '../audience/domain/audience-facts';
import { EventRepository } from '../ingest/event.repository';
import { UserRepository } from '../ingest/user.repository';
import { rankJourneys } from '../ranking/domain/rank-journeys';
import { RankerModelService } from '../ranking/ranker-model.service';
import { Journey } from './domain/journey';
import { assessJourneySafety } from './domain/journey-safety';
import { BuildStats } from './build-stats';
import { ErasedDuringBuild } from './erased-during-build';
import { JourneyInferenceService } from './inference/journey-inference.service';
import { JourneyExpansionService } from './journey-expansion.service';
import { JourneyNamingService } from './journey-naming.service';
import { JOURNEY_POLICY, JourneyPolicy } from './journey-policy';
import { PlatformEmbedderService, VersionedEmbedder } from './platform-embedder.service';
import { StoredJourney, toStoredJourney } from './stored-journey';
import { UserJourneysRepository } from './user-journeys.repository';

export interface BuildRequest {
  userId: string;
  runId: string;
  embedder: VersionedEmbedder;
  now: Date;
  /** Models stored after `embedder` (read when needed if not given): a user built with one of them since is left as they are. */
  newerModels?: ReadonlySet<string>;
}

export interface BuildResult {
  /**
   * `skipped`: this run had already committed the user (a shard re-processed after a crash), or another one
   * built them with a newer model since.
   */
  outcome: 'built' | 'skipped';
  journeys: StoredJourney[];
}

const COMMIT_ATTEMPTS = 3;

/**
 * Builds one user's journeys: events -> inference -> ranking -> naming -> safety, committed with one
 * conditional write so a run builds each user at most once; then fills in missing expansions.
 */
@Injectable()
export class JourneyBuilderService {
  private readonly logger = new Logger(JourneyBuilderService.name);

  constructor(
    private readonly events: EventRepository,
    private readonly users: UserRepository,
    private readonly userJourneys: UserJourneysRepository,
    private readonly naming: JourneyNamingService,
    private readonly expansions: JourneyExpansionService,
    private readonly ranker: RankerModelService,
    private readonly audienceFacts: AudienceFactsRepository,
    private readonly inference: JourneyInferenceService,
    private readonly erasures: ErasedDuringBuild,
    private readonly embedders: PlatformEmbedderService,
    @Inject(JOURNEY_POLICY) private readonly policy: JourneyPolicy,
  ) {}

  /** Ranking, naming and safety of one user's inferred journeys; stores nothing but the names it asks for. */
  async finish(
    userId: string,
    inferred: Journey[],
    locale: string,
    now: Date,
    stats: BuildStats,
  ): Promise<StoredJourney[]> {
    const ranked = rankJourneys(inferred, { now, model: await this.ranker.current() });
    const names = await this.naming.nameAll(ranked, locale, stats, userId);
    const journeys: StoredJourney[] = [];
    ranked.forEach((journey, i) => {
      const verdict = assessJourneySafety({ name: names[i].name, keywords: journey.keywords }, this.policy.safety);
      if (verdict.blocked) return;
      journeys.push(toStoredJourney({ ...journey, rank: journeys.length + 1 }, names[i], verdict.sensitiveCategories));
    });
    return journeys;
  }

  /** After a commit: the user's audience facts, then any missing expansions (left for a later build on failure). */
  async afterCommit(
    users: ReadonlyArray<{ userId: string; journeys: StoredJourney[]; locale: string }>,
    embedder: VersionedEmbedder,
    now: Date,
    stats: BuildStats,
  ): Promise<void> {
    if (users.length === 0) return;
    await this.audienceFacts.recordJourneysMany(
      users.map((u) => ({ userId: u.userId, facts: journeyFactsOf(u.journeys) })),
      now,
    );
    const byLocale = new Map<string, StoredJourney[]>();
    const owners = new Map<StoredJourney, string>();
    for (const u of users) {
      byLocale.set(u.locale, [...(byLocale.get(u.locale) ?? []), ...u.journeys]);
      for (const journey of u.journeys) owners.set(journey, u.userId);
    }
    for (const [locale, journeys] of byLocale) {
      await this.expansions.ensure(journeys, locale, embedder, stats, owners).catch((error: unknown) => {
        const who = users.length === 1 ? `user ${users[0].userId}` : `${users.length} users`;
        this.logger.warn(`expansions of ${who} not stored: ${(error as Error).message}`);
      });
    }
  }

  /**
   * Builds one user outside a batch (a rebuild asked through the API, or a user whose batch commit lost a
   * race). Decoding and inference run on an inference thread, as a batch's do: a user with thousands of
   * events can take a second of CPU, which would otherwise stall every request the process serves meanwhile.
   */
  async build(request: BuildRequest, stats: BuildStats): Promise<BuildResult> {
    const { userId, runId, embedder, now, newerModels } = request;
    for (let attempt = 1; ; attempt++) {
      const [base, raw, profile] = await Promise.all([
        this.userJourneys.findByUserId(userId),
        this.events.findRawHistories([userId]),
        this.users.findByUserId(userId),
      ]);
      // A run with an older model (started before a retrain) never replaces what the newer one built.
      if (base && (base.buildRunId === runId || (await this.isNewer(base.modelVersion, embedder, newerModels)))) {
        return { outcome: 'skipped', journeys: base.journeys };
      }
      // Identity needs only each stored journey's id and keywords: the rest would be copied to the thread for nothing.
      const previous = (base?.journeys ?? []).map(({ id, keywords }) => ({ id, keywords }));
      const [inferred] = await this.inference.infer(
        raw,
        [{ userId, hasBase: base !== undefined, previous }],
        embedder,
        now,
      );
      // Nothing to build from (never active, or erased since selection): store nothing rather than an empty record.
      if (!base && inferred.events === 0) return { outcome: 'skipped', journeys: [] };
      if (inferred.error !== undefined) throw new Error(inferred.error);
      const locale = profile?.locale ?? this.policy.defaultLocale;
      const journeys = await this.finish(userId, inferred.journeys, locale, now, stats);
      const outcome = await this.userJourneys.commitBuild(
        {
          userId,
          journeys,
          generatedAt: now,
          modelVersion: embedder.version,
          buildRunId: runId,
          eventsReceivedThrough: inferred.receivedThrough,
        },
        base,
      );
      if (outcome === 'already-built') return { outcome: 'skipped', journeys };
      if (outcome === 'committed') {
        await this.afterCommit([{ userId, journeys, locale }], embedder, now, stats);
        // Last: a user erased since their events were read keeps nothing of this build.
        const erased = await this.erasures.afterCommit([userId], new Set(profile ? [userId] : []));
        return erased.has(userId) ? { outcome: 'skipped', journeys: [] } : { outcome: 'built', journeys };
      }
      // Another run committed this user meanwhile: rebuild on top of its result.
      if (attempt >= COMMIT_ATTEMPTS) throw new Error(`user ${userId}: concurrent builds kept conflicting`);
    }
  }

  /** Whether `version` was stored after the build's model (a single rebuild that read the model before a retrain). */
  private async isNewer(
    version: string,
    embedder: VersionedEmbedder,
    newerModels: ReadonlySet<string> | undefined,
  ): Promise<boolean> {
    if (version === embedder.version) return false;
    return (newerModels ?? (await this.embedders.newerThan(embedder.version))).has(version);
  }
}
