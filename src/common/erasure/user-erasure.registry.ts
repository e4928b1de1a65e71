import { Injectable, Logger } from '@nestjs/common';

/**
 * When an eraser runs: phase by phase in this order, erasers of one phase in the order they registered.
 * A request in flight reaches a user through a record it read (a notification, for an open, a click or an
 * unsubscribe; a pending conversion, for the sweep that settles it) and writes records of its own (events,
 * conversions, experiment outcomes). After writing it checks that what it read is still stored and takes its
 * writes back if not. That check only works if what a request reads is erased before what it writes:
 * - `notifications`: the notifications and the tracking records tracking requests find a user by;
 * - `conversions`: conversions, written by a request that found a notification, read by the pending sweep;
 * - `events`: the activity events a journey build reads, before the journeys and audience facts it writes;
 * - `derived` (the default): everything else, including what those requests and builds write.
 */
export const ERASURE_PHASES = ['notifications', 'conversions', 'events', 'derived'] as const;
export type ErasurePhase = (typeof ERASURE_PHASES)[number];

/** Deletes one kind of data derived from a user and says how many records went. */
export interface UserEraser {
  /**
   * The name reported in the erasure counts, e.g. `events` or `journeys`. A module whose data spans phases
   * registers one eraser per phase under one name; the counts report their sum.
   */
  name: string;
  /** When it runs (see ERASURE_PHASES); `derived` when not given. */
  phase?: ErasurePhase;
  /**
   * Runs once more after the profile is gone: a request that stored for the user after this eraser ran looks
   * for the profile's mark to take its write back, and finds none once the profile is gone.
   */
  againAfterProfile?: boolean;
  erase(userId: string): Promise<number>;
}

type PhasedEraser = UserEraser & { phase: ErasurePhase };

/**
 * Every module that stores per-user data registers an eraser here (in its onModuleInit), so erasing
 * a user reaches journeys and notifications without ingest importing those modules.
 */
@Injectable()
export class UserErasureRegistry {
  private readonly logger = new Logger(UserErasureRegistry.name);
  private readonly erasers: PhasedEraser[] = [];

  register(eraser: UserEraser): void {
    const phase = eraser.phase ?? 'derived';
    if (this.erasers.some((e) => e.name === eraser.name && e.phase === phase)) {
      throw new Error(`an eraser named ${eraser.name} is already registered in phase ${phase}`);
    }
    this.erasers.push({ ...eraser, phase });
  }

  /** The erasers' names and phases in the order they run. */
  inOrder(): Array<{ name: string; phase: ErasurePhase }> {
    return this.ordered().map(({ name, phase }) => ({ name, phase }));
  }

  /** Runs every eraser in order; the profile itself should be erased last by the caller so a retry finds it. */
  async eraseAll(userId: string): Promise<Record<string, number>> {
    const counts = await eraseWith(this.ordered(), userId);
    this.logger.log(`erased derived data of user ${userId}: ${JSON.stringify(counts)}`);
    return counts;
  }

  /** Runs again, after the profile, the erasers that asked to (see UserEraser.againAfterProfile). */
  eraseAgainAfterProfile(userId: string): Promise<Record<string, number>> {
    return eraseWith(
      this.ordered().filter((e) => e.againAfterProfile),
      userId,
    );
  }

  /** By phase, then by registration (Array.prototype.sort is stable). */
  private ordered(): PhasedEraser[] {
    const rank = (e: PhasedEraser) => ERASURE_PHASES.indexOf(e.phase);
    return [...this.erasers].sort((a, b) => rank(a) - rank(b));
  }
}

/** Runs `erasers` one after the other; the counts of erasers sharing a name are summed. */
async function eraseWith(erasers: readonly UserEraser[], userId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const eraser of erasers) counts[eraser.name] = (counts[eraser.name] ?? 0) + (await eraser.erase(userId));
  return counts;
}
