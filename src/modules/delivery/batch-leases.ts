import type { Notification } from './domain/notification';
import { NotificationRepository } from './notification.repository';

/**
 * What a batch knows of its claims' leases: when each is known to last until (from the claim, then from each
 * renewal it saw land). A message's turn can come long after the claim, and a job that stalled past its lease
 * (a blocked event loop, renewals failing) may have lost the claim to a worker that took it over and sent the
 * message; so a claim whose known lease is short of half its length is renewed by one conditional write before
 * its send, and a claim no longer held is not sent. Taking over needs the lease lapsed and a renewal needs the
 * attempt still holding it, so exactly one of the two lands.
 */
export class BatchLeases {
  /** Per claim not yet done, when its lease is known to last until (ms; 0: lost). */
  private readonly until = new Map<string, number>();

  constructor(
    private readonly notifications: NotificationRepository,
    /** The batch's attempt id, the same on every claim. */
    private readonly attemptId: string,
    claimed: ReadonlyArray<{ notification: Pick<Notification, 'notificationId' | 'sending'> }>,
    private readonly leaseMs: number,
  ) {
    for (const { notification } of claimed) {
      this.until.set(notification.notificationId, notification.sending?.leaseUntil.getTime() ?? 0);
    }
  }

  /** Extends the leases of the claims not yet done, and learns which are still held. */
  async renew(): Promise<void> {
    const ids = [...this.until.keys()];
    if (ids.length === 0) return;
    const until = Date.now() + this.leaseMs;
    const held = await this.notifications.extendLeases(ids, this.attemptId, new Date(until));
    for (const id of ids) {
      if (this.until.has(id)) this.until.set(id, held.has(id) ? until : 0);
    }
  }

  /** Whether the batch still holds the claim, with at least half a lease ahead of it. */
  async holds(id: string): Promise<boolean> {
    if ((this.until.get(id) ?? 0) - Date.now() > this.leaseMs / 2) return true;
    const until = Date.now() + this.leaseMs;
    if (!(await this.notifications.extendLease(id, this.attemptId, new Date(until)))) return false;
    this.until.set(id, until);
    return true;
  }

  /** The claim's send is over (sent, failed, withdrawn or lost): no more renewals. */
  done(notificationId: string): void {
    this.until.delete(notificationId);
  }
}
