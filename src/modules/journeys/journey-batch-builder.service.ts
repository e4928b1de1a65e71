import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { Semaphore } from '../../lib/concurrency/semaphore';
import { EventRepository } from '../ingest/event.repository';
import { UserRepository } from '../ingest/user.repository';
import { BuildStats } from './build-stats';
import { ErasedDuringBuild } from './erased-during-build';
import { JourneyInferenceService } from './inference/journey-inference.service';
import { InferenceUser } from './inference/raw-histories';
import { LedgerSettlement } from './journey-build-ledger.repository';
import { JourneyBuilderService } from './journey-builder.service';
import { JOURNEY_POLICY, JourneyPolicy } from './journey-policy';
import { VersionedEmbedder } from './platform-embedder.service';
import { StoredJourney } from './stored-journey';
import { BuildCommit, UserJourneysRepository } from './user-journeys.repository';

export interface BatchRequest {
  runId: string;
  embedder: VersionedEmbedder;
  now: Date;
  /** Models stored after the run's: a user built with one of them since is left as they are. */
  newerModels?: ReadonlySet<string>;
}

interface Composed extends BuildCommit {
  locale: string;
  journeys: StoredJourney[];
}

/**
 * Builds a batch of users with a constant number of round trips: one read each of their stored builds,
 * histories (only the fields inference uses, left as BSON for an inference thread) and profiles; inference
 * of the batch on an inference thread; ranking and naming per user; one bulk commit with the
 * per-user conditions; one bulk write of audience facts. A user whose commit lost a race to another run
 * is rebuilt alone on top of that run's result.
 */
@Injectable()
export class JourneyBatchBuilderService {
  private readonly logger = new Logger(JourneyBatchBuilderService.name);
  private readonly userConcurrency: number;

  constructor(
    config: ConfigService<Settings, true>,
    private readonly events: EventRepository,
    private readonly users: UserRepository,
    private readonly userJourneys: UserJourneysRepository,
    private readonly builder: JourneyBuilderService,
    private readonly inference: JourneyInferenceService,
    private readonly erasures: ErasedDuringBuild,
    @Inject(JOURNEY_POLICY) private readonly policy: JourneyPolicy,
  ) {
    this.userConcurrency = config.get('journeys', { infer: true }).userConcurrency;
  }

  /** Builds these users for a run and says how each one ended, in the ledger's terms. */
  async buildMany(userIds: readonly string[], request: BatchRequest, stats: BuildStats): Promise<LedgerSettlement[]> {
    const { runId, embedder, now } = request;
    const [bases, raw, profiles] = await Promise.all([
      this.userJourneys.findBuildBases(userIds),
      this.events.findRawHistories(userIds),
      this.users.findByUserIds([...userIds]),
    ]);
    const locales = new Map(profiles.map((p) => [p.userId, p.locale]));
    const settled = new Map<string, LedgerSettlement>();
    const toInfer: InferenceUser[] = [];
    for (const userId of userIds) {
      const base = bases.get(userId);
      if (base?.buildRunId === runId || (base && request.newerModels?.has(base.modelVersion))) {
        settled.set(userId, skipped(userId, base.journeys));
      } else toInfer.push({ userId, hasBase: base !== undefined, previous: base?.journeys ?? [] });
    }
    // Decoding and inference run on an inference thread while this one serves other jobs' reads and writes.
    const inferred = await this.inference.infer(raw, toInfer, embedder, now);
    const composed: Composed[] = [];
    // Ranking and naming; the gate lets LLM naming calls of several users overlap.
    const gate = new Semaphore(this.userConcurrency);
    await Promise.all(
      inferred.map((user) =>
        gate.run(async () => {
          const { userId } = user;
          const base = bases.get(userId);
          // Nothing to build from (never active, or erased since selection): store nothing rather than an empty record.
          if (!base && user.events === 0) return settled.set(userId, gone(userId));
          if (user.error !== undefined) return settled.set(userId, this.failed(runId, userId, new Error(user.error)));
          try {
            const locale = locales.get(userId) ?? this.policy.defaultLocale;
            const journeys = await this.builder.finish(userId, user.journeys, locale, now, stats);
            const build = {
              userId,
              journeys,
              generatedAt: now,
              modelVersion: embedder.version,
              buildRunId: runId,
              eventsReceivedThrough: user.receivedThrough,
            };
            composed.push({ build, base, locale, journeys });
          } catch (error) {
            settled.set(userId, this.failed(runId, userId, error));
          }
        }),
      ),
    );
    const outcomes = await this.userJourneys.commitBuilds(composed);
    const committed = composed.filter((c) => outcomes.get(c.build.userId) === 'committed');
    await this.builder.afterCommit(
      committed.map((c) => ({ userId: c.build.userId, journeys: c.journeys, locale: c.locale })),
      embedder,
      now,
      stats,
    );
    // Last: users erased since their events were read keep nothing of this build.
    const erased = await this.erasures.afterCommit(
      committed.map((c) => c.build.userId),
      new Set(locales.keys()),
    );
    for (const c of composed) {
      const { userId } = c.build;
      const outcome = outcomes.get(userId);
      if (erased.has(userId)) settled.set(userId, gone(userId));
      else if (outcome === 'committed') settled.set(userId, { userId, status: 'built', journeys: c.journeys.length });
      else if (outcome === 'already-built') settled.set(userId, skipped(userId, c.journeys));
      else settled.set(userId, await this.rebuildAlone(userId, request, stats));
    }
    return userIds.map((userId) => settled.get(userId)!);
  }

  private async rebuildAlone(userId: string, request: BatchRequest, stats: BuildStats): Promise<LedgerSettlement> {
    try {
      const result = await this.builder.build({ userId, ...request }, stats);
      return { userId, status: result.outcome, journeys: result.journeys.length };
    } catch (error) {
      return this.failed(request.runId, userId, error);
    }
  }

  private failed(runId: string, userId: string, error: unknown): LedgerSettlement {
    const message = (error as Error).message;
    this.logger.error(`run ${runId}: user ${userId} failed: ${message}`);
    return { userId, status: 'failed', error: message.slice(0, 500) };
  }
}

function skipped(userId: string, journeys: readonly unknown[]): LedgerSettlement {
  return { userId, status: 'skipped', journeys: journeys.length };
}

/** A user erased since the run selected them: nothing of theirs is kept, their ledger entry included. */
function gone(userId: string): LedgerSettlement {
  return { userId, status: 'skipped', journeys: 0, gone: true };
}
