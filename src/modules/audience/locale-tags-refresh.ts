import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AudienceFactsRepository } from './audience-facts.repository';

/**
 * Retags, once per tagging rule, the users whose locale tags were stored under an earlier one. Runs in the
 * background when a worker starts: a campaign that selects meanwhile misses only those users' new tags.
 */
@Injectable()
export class LocaleTagsRefresh implements OnApplicationBootstrap {
  private readonly logger = new Logger(LocaleTagsRefresh.name);
  /** The refresh under way, for a caller (a test, a shutdown) that waits for it. */
  running?: Promise<number>;

  constructor(private readonly facts: AudienceFactsRepository) {}

  onApplicationBootstrap(): void {
    this.running = this.facts.refreshLocaleTags().then(
      (retagged) => {
        if (retagged > 0) this.logger.log(`locale tags of ${retagged} users brought up to the current rule`);
        return retagged;
      },
      (error: unknown) => {
        this.logger.warn(`locale tags not refreshed, tried again at the next start: ${(error as Error).message}`);
        return 0;
      },
    );
  }
}
