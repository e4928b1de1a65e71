import { Injectable } from '@nestjs/common';
import { UserJourneysRepository } from '../journeys/user-journeys.repository';
import { JudgeCacheRepository } from './judge-cache.repository';
import { JudgedUserRepository } from './judged-user.repository';
import { JudgementRepository } from './judgement.repository';

/**
 * What the judge holds of a user: their judged records, the cache entries their data produced, and their
 * place in judgements (sample, worst examples, failures). A judgement reads a user's journeys, then writes
 * about them; erasing the user removes the journeys before this (the journeys eraser registers first), so a
 * judgement that finds the journeys gone after its writes takes them back with {@link takeBackErased}.
 */
@Injectable()
export class JudgeErasure {
  constructor(
    private readonly userJourneys: UserJourneysRepository,
    private readonly judgements: JudgementRepository,
    private readonly judgedUsers: JudgedUserRepository,
    private readonly cache: JudgeCacheRepository,
  ) {}

  async erase(userId: string): Promise<number> {
    return (
      (await this.judgedUsers.deleteByUserId(userId)) +
      (await this.cache.deleteByUserId(userId)) +
      (await this.judgements.forgetUser(userId))
    );
  }

  /** After writing about `userIds`: erases again those of them whose journeys are gone (erased meanwhile). */
  async takeBackErased(userIds: readonly string[]): Promise<void> {
    const distinct = [...new Set(userIds)];
    if (distinct.length === 0) return;
    const built = await this.userJourneys.findBuildBases(distinct);
    for (const userId of distinct.filter((u) => !built.has(u))) await this.erase(userId);
  }
}
