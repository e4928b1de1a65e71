import { Injectable } from '@nestjs/common';
import { AudienceFactsRepository } from '../audience/audience-facts.repository';
import type { UserProfile } from '../ingest/domain/user-profile';
import { UserRepository } from '../ingest/user.repository';
import type { UserJourneysRecord } from '../journeys/user-journeys.schema';
import { UserJourneysRepository } from '../journeys/user-journeys.repository';
import type { NotificationOutcome } from '../ranking/domain';
import { RankingExampleRepository } from '../ranking/ranking-example.repository';
import { needsJourney } from './domain/audience-rules';
import type { CampaignDefinition } from './domain/campaign-definition';
import { GuardVerdicts, RecipientGuardRegistry } from './recipient-guards';

/** What the send fan-out read ahead about one recipient, so composing their message reads nothing more. */
export interface RecipientSnapshot {
  user: UserProfile | undefined;
  lastActiveAt: Date | undefined;
  journeys: UserJourneysRecord | undefined;
  /** What they did with the notifications about their journeys in the ranker's fatigue horizon. */
  history: NotificationOutcome[];
  guards: GuardVerdicts;
}

/**
 * Reads a chunk of recipients the way the composer would read each of them, in one query per
 * collection (profiles, audience facts, journeys, notification outcomes, each guard's batch), taken at the moment the chunk
 * is processed, so the verdicts are as fresh as reading user by user.
 */
@Injectable()
export class RecipientSnapshots {
  constructor(
    private readonly users: UserRepository,
    private readonly facts: AudienceFactsRepository,
    private readonly journeys: UserJourneysRepository,
    private readonly outcomes: RankingExampleRepository,
    private readonly guards: RecipientGuardRegistry,
  ) {}

  async load(campaign: CampaignDefinition, userIds: string[], now: Date): Promise<Map<string, RecipientSnapshot>> {
    if (userIds.length === 0) return new Map();
    const [profiles, lastActive, journeys, histories] = await Promise.all([
      this.users.findByUserIds(userIds),
      this.facts.findLastActive(userIds),
      this.journeys.findByUserIds(userIds),
      // The history only ranks journeys, which a campaign all in interest copy and without journey rules never does.
      needsJourney(campaign) ? this.outcomes.findHistories(userIds, now) : new Map<string, NotificationOutcome[]>(),
    ]);
    const guards = await this.guards.prefetch({ campaign, users: profiles, now });
    const byId = new Map(profiles.map((u) => [u.userId, u]));
    return new Map(
      userIds.map((userId) => [
        userId,
        {
          user: byId.get(userId),
          lastActiveAt: lastActive.get(userId),
          journeys: journeys.get(userId),
          history: histories.get(userId) ?? [],
          guards,
        },
      ]),
    );
  }
}
