import { Injectable, Logger } from '@nestjs/common';

/** Deletes one kind of data derived from a user and says how many records went. */
export interface UserEraser {
  /** The name reported in the erasure counts, e.g. `events` or `journeys`. */
  name: string;
  erase(userId: string): Promise<number>;
}

/**
 * Every module that stores per-user data registers an eraser here (in its onModuleInit), so erasing
 * a user reaches journeys and notifications without ingest importing those modules.
 */
@Injectable()
export class UserErasureRegistry {
  private readonly logger = new Logger(UserErasureRegistry.name);
  private readonly erasers = new Map<string, UserEraser>();

  register(eraser: UserEraser): void {
    if (this.erasers.has(eraser.name)) throw new Error(`an eraser named ${eraser.name} is already registered`);
    this.erasers.set(eraser.name, eraser);
  }

  /** Runs every eraser; the profile itself should be erased last by the caller so a retry finds it. */
  async eraseAll(userId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const eraser of this.erasers.values()) counts[eraser.name] = await eraser.erase(userId);
    this.logger.log(`erased derived data of user ${userId}: ${JSON.stringify(counts)}`);
    return counts;
  }
}
