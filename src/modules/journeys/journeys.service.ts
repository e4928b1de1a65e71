import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { UserRepository } from '../ingest/user.repository';
import { emptyBuildStats } from './build-stats';
import { stageAt } from './domain/stage';
import { JourneyBuilderService } from './journey-builder.service';
import { JourneyExpansionRecord } from './journey-expansion.schema';
import { JourneyExpansionService } from './journey-expansion.service';
import { JOURNEY_POLICY, JourneyPolicy, notifyBarrier, sensitiveCategoriesNow } from './journey-policy';
import { PlatformEmbedderService } from './platform-embedder.service';
import { StoredJourney } from './stored-journey';
import { UserJourneysRepository } from './user-journeys.repository';

/** A user's journeys as the API shows them: ranked, with the stored expansions of each journey. */
export interface UserJourneysView {
  userId: string;
  generatedAt: Date;
  modelVersion: string;
  buildRunId: string;
  buildCount: number;
  journeys: Array<{ journey: StoredJourney; notifiable: boolean; expansion?: JourneyExpansionRecord }>;
}

/** Reading and synchronously rebuilding one user's journeys. */
@Injectable()
export class JourneysService {
  constructor(
    private readonly userJourneys: UserJourneysRepository,
    private readonly users: UserRepository,
    private readonly builder: JourneyBuilderService,
    private readonly embedders: PlatformEmbedderService,
    private readonly expansions: JourneyExpansionService,
    @Inject(JOURNEY_POLICY) private readonly policy: JourneyPolicy,
  ) {}

  /** A user's stored journeys as the API shows them; none of a user whose erasure has begun. */
  async getUserJourneys(userId: string): Promise<UserJourneysView> {
    const [record, profile] = await Promise.all([
      this.userJourneys.findByUserId(userId),
      this.users.findWithErasure(userId),
    ]);
    if (profile?.erasing) throw new NotFoundException(`user ${userId} is being erased: their journeys are not served`);
    if (!record) throw new NotFoundException(`user ${userId} has no journeys yet`);
    const locale = profile?.user.locale ?? this.policy.defaultLocale;
    // The stage as of now: a user silent since their last build has let their ongoing journeys end.
    const now = Date.now();
    // Its sensitive categories as campaigns judge them now: those of its build and those today's policy finds.
    const journeys = record.journeys
      .map((j) => ({ ...j, stage: stageAt(j, now), sensitiveCategories: sensitiveCategoriesNow(j, this.policy) }))
      .sort((a, b) => a.rank - b.rank);
    const expansions = await this.expansions.findFor(journeys, locale);
    return {
      userId,
      generatedAt: record.generatedAt,
      modelVersion: record.modelVersion,
      buildRunId: record.buildRunId,
      buildCount: record.buildCount,
      journeys: journeys.map((journey) => ({
        journey,
        // As campaigns judge it when they compose a message: by today's policy, not the one it was built under.
        notifiable: notifyBarrier(journey, this.policy) === undefined,
        expansion: expansions.get(journey.id),
      })),
    };
  }

  /** Rebuilds one user now, outside any run, and returns the result as the API shows it. */
  async rebuildUser(userId: string): Promise<UserJourneysView> {
    // A user being erased gets no build (nor LLM names made for them): the erasure takes their journeys.
    await this.refuseErasing(userId);
    const embedder = await this.embedders.current();
    const runId = `user-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
    const built = await this.builder.build({ userId, runId, embedder, now: new Date() }, emptyBuildStats());
    if (built.outcome === 'skipped' && !(await this.userJourneys.findByUserId(userId))) {
      // The build took back what it wrote for a user whose erasure began meanwhile.
      await this.refuseErasing(userId);
      // Nothing stored and nothing to build from: no events (an unknown user, or one never active).
      throw new NotFoundException(`user ${userId} has no events to build journeys from`);
    }
    return this.getUserJourneys(userId);
  }

  private async refuseErasing(userId: string): Promise<void> {
    if (await this.users.erasingSince(userId)) {
      throw new NotFoundException(`user ${userId} is being erased: no journeys are built for them`);
    }
  }
}
