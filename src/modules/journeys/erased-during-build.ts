import { Injectable, Logger } from '@nestjs/common';
import { AudienceFactsRepository } from '../audience/audience-facts.repository';
import { EventRepository } from '../ingest/event.repository';
import { UserRepository } from '../ingest/user.repository';
import { JourneyExpansionRepository } from './journey-expansion.repository';
import { JourneyNameRepository } from './journey-name.repository';
import { UserJourneysRepository } from './user-journeys.repository';

/**
 * A build reads a user's events and profile, then writes their journeys and audience facts (and the names and
 * expansions it makes for them): an erasure in between would otherwise leave those behind. After its writes a
 * build asks whether each user it wrote for was erased since it read them (profile marked as being erased, or
 * gone since read; or, for a user without a profile, no events left) and takes its writes back if so. The
 * erasure removes events (phase `events`) before what builds write, so a build that still finds the events
 * leaves its writes to it.
 */
@Injectable()
export class ErasedDuringBuild {
  private readonly logger = new Logger(ErasedDuringBuild.name);

  constructor(
    private readonly users: UserRepository,
    private readonly events: EventRepository,
    private readonly userJourneys: UserJourneysRepository,
    private readonly audienceFacts: AudienceFactsRepository,
    private readonly names: JourneyNameRepository,
    private readonly expansions: JourneyExpansionRepository,
  ) {}

  /** After the writes for `userIds`; `profileRead`: those of them whose profile the build found. Returns the erased. */
  async afterCommit(userIds: readonly string[], profileRead: ReadonlySet<string>): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const found = await this.users.findErasingOrGone(userIds);
    const without = [...found].filter(([userId, how]) => how === 'gone' && !profileRead.has(userId)).map(([u]) => u);
    const active = await this.events.findUserIdsAmong(without);
    // A user read without a profile is erased only once their events are gone too.
    const erased = [...found.keys()].filter((userId) => !active.has(userId));
    for (const userId of erased) {
      await this.userJourneys.deleteByUserId(userId);
      await this.audienceFacts.deleteByUserId(userId);
      await this.names.deleteByUserId(userId);
      await this.expansions.deleteByUserId(userId);
    }
    if (erased.length > 0) this.logger.log(`took back the journeys of ${erased.length} erased user(s)`);
    return new Set(erased);
  }
}
