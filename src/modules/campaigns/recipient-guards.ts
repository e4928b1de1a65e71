import { Injectable } from '@nestjs/common';
import type { UserProfile } from '../ingest/domain/user-profile';
import type { CampaignDefinition } from './domain/campaign-definition';
import type { SkipReason } from './domain/compose-result';

/** One eligibility rule about the recipient that another module owns (unsubscribes, a suppression list). */
export interface RecipientGuard {
  name: string;
  /**
   * The reason to skip the user, or undefined. With `dryRun` (previews, estimates) a guard must not
   * change anything: a frequency cap only looks, it does not reserve.
   */
  check(input: {
    campaign: CampaignDefinition;
    user: UserProfile;
    now: Date;
    dryRun: boolean;
  }): Promise<SkipReason | undefined>;
  /**
   * The same verdicts for many users in one read (the send fan-out), keyed by user id; only reads,
   * never reserves. Guards without it are asked user by user.
   */
  checkMany?(input: {
    campaign: CampaignDefinition;
    users: readonly UserProfile[];
    now: Date;
  }): Promise<Map<string, SkipReason>>;
}

/** Guard verdicts that answer like the registry (see `RecipientGuardRegistry.prefetch`). */
export type GuardVerdicts = Pick<RecipientGuardRegistry, 'firstFailure'>;

/**
 * The seam for eligibility that campaigns do not own: delivery registers its guards here (unsubscribes
 * per category, suppressions) in onModuleInit, and every composed message, previews included, passes them.
 * Send-time state that depends on the moment of delivery (frequency caps, quiet hours) is applied by the
 * fan-out after composing, with the same guard shape.
 */
@Injectable()
export class RecipientGuardRegistry {
  private readonly guards: RecipientGuard[] = [];

  register(guard: RecipientGuard): void {
    if (this.guards.some((g) => g.name === guard.name)) {
      throw new Error(`a guard named ${guard.name} is already registered`);
    }
    this.guards.push(guard);
  }

  /**
   * The guards' verdicts on many users read ahead in one batch per guard that can (the send fan-out);
   * the result answers `firstFailure` like the registry, asking the other guards user by user then.
   */
  async prefetch(input: {
    campaign: CampaignDefinition;
    users: readonly UserProfile[];
    now: Date;
  }): Promise<GuardVerdicts> {
    const batches = await Promise.all(this.guards.map((guard) => guard.checkMany?.(input)));
    const firstFailure = async (check: Parameters<RecipientGuard['check']>[0]): Promise<SkipReason | undefined> => {
      for (const [i, guard] of this.guards.entries()) {
        const reason = batches[i] ? batches[i].get(check.user.userId) : await guard.check(check);
        if (reason) return reason;
      }
      return undefined;
    };
    return { firstFailure };
  }

  /** The first guard's reason to skip, in registration order. */
  async firstFailure(input: Parameters<RecipientGuard['check']>[0]): Promise<SkipReason | undefined> {
    for (const guard of this.guards) {
      const reason = await guard.check(input);
      if (reason) return reason;
    }
    return undefined;
  }
}
