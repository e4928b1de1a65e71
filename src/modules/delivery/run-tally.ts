import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { Settings } from '../../config/settings';
import type { Notification, NotificationState } from './domain/notification';

/** A run's counters kept for 30 days: long after any run completes and stores its exact counts. */
const TALLY_TTL_SECONDS = 30 * 24 * 3600;
const STALE = 'stale';

/** What a run's tally holds: ledger entries per status, and notifications per state and suppression reason. */
export interface RunTallyCounts {
  ledger: Record<string, number>;
  notifications: Array<{ state: NotificationState; reason?: string; n: number }>;
}

/**
 * Live counters of each run in one Redis hash, moved by whoever makes a write that changes a count
 * (the selection, the ledger's settlement, notification inserts and state changes), right after the
 * conditional write took effect; so reading a run's counters is one HGETALL instead of grouping all
 * its records. A worker killed between its write and the counter leaves the tally short until the
 * run completes, when the counts are grouped once from the records and stored on the run.
 */
@Injectable()
export class RunTally {
  private readonly logger = new Logger(RunTally.name);
  private readonly prefix: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    config: ConfigService<Settings, true>,
  ) {
    this.prefix = `${config.get('redis', { infer: true }).prefix}:run-tally`;
  }

  /** Ledger entries entering `to` (and leaving `from`). */
  ledger(runId: string, from: string | undefined, to: string, n = 1): Promise<void> {
    return this.add(runId, { ...(from && { [`l:${from}`]: -n }), [`l:${to}`]: n });
  }

  /** Notifications created or moved from one state to another; a suppressed one counts under its reason. */
  notifications(
    runId: string,
    from: NotificationState | undefined,
    to: NotificationState,
    reason: string | undefined,
    n = 1,
  ): Promise<void> {
    const toField = to === 'suppressed' ? `s:${reason ?? 'unknown'}` : `n:${to}`;
    return this.add(runId, { ...(from && { [`n:${from}`]: -n }), [toField]: n });
  }

  /** Notifications just created, counted by state (and suppression reason) in one round trip. */
  created(runId: string, notifications: ReadonlyArray<Pick<Notification, 'state' | 'reason'>>): Promise<void> {
    const changes: Record<string, number> = {};
    for (const { state, reason } of notifications) {
      const field = state === 'suppressed' ? `s:${reason?.code ?? 'unknown'}` : `n:${state}`;
      changes[field] = (changes[field] ?? 0) + 1;
    }
    return notifications.length === 0 ? Promise.resolve() : this.add(runId, changes);
  }

  /** Says the tally cannot be trusted for this run (a write whose effect is unknown); reads then group. */
  async markStale(runId: string): Promise<void> {
    await this.add(runId, { [STALE]: 1 });
  }

  /** The run's counters, or undefined when there is no tally to trust (none yet, stale, Redis lost or slow). */
  async read(runId: string): Promise<RunTallyCounts | undefined> {
    let hash: Record<string, string>;
    try {
      hash = await this.redis.hgetall(this.key(runId));
    } catch (error) {
      // Redis is slow or away: the caller groups the counts from the records instead.
      this.logger.warn({ message: `run counters not read: ${(error as Error).message}`, runId });
      return undefined;
    }
    if (Object.keys(hash).length === 0 || hash[STALE]) return undefined;
    const ledger: Record<string, number> = {};
    const notifications: RunTallyCounts['notifications'] = [];
    for (const [field, value] of Object.entries(hash)) {
      const [kind, name] = [field.slice(0, 1), field.slice(2)];
      const n = Number(value);
      if (kind === 'l') ledger[name] = n;
      else if (kind === 'n') notifications.push({ state: name as NotificationState, n });
      else if (kind === 's') notifications.push({ state: 'suppressed', reason: name, n });
    }
    return { ledger, notifications };
  }

  private async add(runId: string, changes: Record<string, number>): Promise<void> {
    const key = this.key(runId);
    const pipeline = this.redis.pipeline();
    for (const [field, n] of Object.entries(changes)) if (n !== 0) pipeline.hincrby(key, field, n);
    pipeline.expire(key, TALLY_TTL_SECONDS);
    try {
      await pipeline.exec();
    } catch (error) {
      // The records are the truth; a lost count only shows until the run completes.
      this.logger.warn({ message: `run counters not written: ${(error as Error).message}`, runId });
    }
  }

  private key(runId: string): string {
    return `${this.prefix}:{${runId}}`;
  }
}
