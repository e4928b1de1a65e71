import { Injectable, Logger } from '@nestjs/common';
import { notificationIdOf } from '../../delivery/domain/notification-id';
import { FrequencyCaps } from '../../delivery/frequency-caps';
import { NotificationErasure } from '../../delivery/notification-erasure';
import { RunTally } from '../../delivery/run-tally';
import { ExperimentAssignments } from '../../experiments/experiment-ports';
import { UserRepository } from '../../ingest/user.repository';
import { CopyCacheRepository } from '../../personalization/copy-cache.repository';
import { CampaignRunLedgerRepository } from './campaign-run-ledger.repository';
import type { CampaignRunRecord } from './campaign-run.schema';

/**
 * Takes back what a fan-out chunk wrote for users erased while it ran. The chunk reads its users' profiles,
 * then writes experiment assignments, notifications, renders, frequency-cap slots and ledger entries, which
 * can land after the erasers removed the user's. An erasure marks the profile (with its consent taken back)
 * before any eraser runs and deletes it after the last, so once its writes are done the chunk asks, in one
 * indexed read, which of its users are marked or gone: for the others the erasure has not begun, and will
 * remove the chunk's writes with the rest; for those it takes its writes back. A withdrawal of consent alone
 * leaves no mark and takes nothing back. A chunk processed again after a crash asks again about the users its
 * shard still lists, what an earlier attempt wrote for them included; a user whose erasure ended before that
 * has been taken out of the shard, so a message an attempt wrote for them after the erasers ran, and then
 * stopped before asking, is left to its delivery: it finds the user marked or gone, sends nothing, and its run
 * takes it back then (see RunHooks).
 */
@Injectable()
export class ErasedDuringFanOut {
  private readonly logger = new Logger(ErasedDuringFanOut.name);

  constructor(
    private readonly users: UserRepository,
    private readonly notifications: NotificationErasure,
    private readonly ledger: CampaignRunLedgerRepository,
    private readonly caps: FrequencyCaps,
    private readonly assignments: ExperimentAssignments,
    private readonly tally: RunTally,
    private readonly copyCache: CopyCacheRepository,
  ) {}

  /**
   * After the chunk's writes for `userIds`. `profileRead`: those of them whose profile the chunk, or the
   * attempt that wrote their notification, found. One who had none then is sent nothing and keeps the
   * record saying so, like any user without a profile; one whose profile went since was erased.
   */
  async afterChunk(run: CampaignRunRecord, userIds: readonly string[], profileRead: ReadonlySet<string>) {
    const found = await this.users.findErasingOrGone(userIds);
    const erased = [...found].flatMap(([userId, how]) =>
      how === 'erasing' || profileRead.has(userId) ? [userId] : [],
    );
    if (erased.length > 0) await this.takeBack(run, erased);
  }

  /**
   * The notification goes last: until then a chunk processed again after a crash here finds it, and asks
   * about its user again. Its delivery job, already enqueued, finds nothing to send (or, before the
   * notification goes, a user who no longer consents). Also for a message its delivery refused as erased (see
   * RunHooks), when a chunk that wrote it stopped before its check and its user's erasure ended before the retry.
   */
  async takeBack({ runId, definition }: CampaignRunRecord, userIds: readonly string[]): Promise<void> {
    await this.caps.releaseMany(
      userIds.map((userId) => ({
        subject: { userId, channel: definition.channel, campaignId: definition.id },
        notificationId: notificationIdOf(runId, userId),
      })),
    );
    await this.ledger.deleteInRun(runId, userIds);
    await this.assignments.forgetUsers(userIds);
    await this.notifications.erase({ runId, userIds });
    // LLM copy written for them (their erasure removed what was stored before it).
    for (const userId of userIds) await this.copyCache.deleteByUserId(userId);
    // The run's counters counted these users: the run's records, which no longer list them, count instead.
    await this.tally.markStale(runId);
    for (const userId of userIds) {
      this.logger.log({ message: 'took back what the fan-out wrote for a user erased meanwhile', runId, userId });
    }
  }
}
