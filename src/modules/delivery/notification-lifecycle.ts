import { Injectable } from '@nestjs/common';
import type { RunGate } from './domain/delivery-step';
import type { FrequencyCap } from './domain/frequency-cap';
import type { Notification } from './domain/notification';

/** A notification as its run hears it settled. */
export type SettledNotification = Pick<Notification, 'runId' | 'notificationId' | 'userId' | 'state' | 'reason'>;

/** What the owner of a notification's run tells delivery, and hears back from it. */
export interface NotificationRunHooks {
  /**
   * Whether the run may send now (it may have been paused or cancelled since the notification was queued), as
   * of the run's `generation` at least: a job enqueued by a resume or cancel carries the generation they
   * started, and an answer remembered from before it is not good enough for that job.
   */
  gate(runId: string, generation?: number): Promise<RunGate>;
  /**
   * The run's gate and generation as stored now, not as remembered: for a job enqueued outside a resume or
   * cancel (the sweep of stranded messages), which must carry the run's current generation so that no worker
   * answers it from a read taken before that resume or cancel.
   */
  current(runId: string): Promise<{ gate: RunGate; generation: number }>;
  /** The frequency caps of the run's campaign, as its definition was when the run started. */
  frequencyCaps(runId: string): Promise<readonly FrequencyCap[]>;
  /** The send rate of the run's campaign (messages per second), when its definition sets one. */
  sendRate(runId: string): Promise<number | undefined>;
  /**
   * A notification of the run reached a terminal state (sent, failed, suppressed). One suppressed because its
   * user is being erased (ERASED_REASON) is taken back by the run, with what else the run wrote for the user.
   */
  settled(notification: SettledNotification): Promise<void>;
}

/**
 * The seam between delivery and whoever creates notifications (campaign runs): campaigns registers
 * its hooks in onModuleInit, so delivery never imports campaigns. Without hooks every run is open.
 */
@Injectable()
export class NotificationLifecycle {
  private hooks?: NotificationRunHooks;

  register(hooks: NotificationRunHooks): void {
    if (this.hooks) throw new Error('notification run hooks are already registered');
    this.hooks = hooks;
  }

  gate(runId: string, generation = 0): Promise<RunGate> {
    return this.hooks ? this.hooks.gate(runId, generation) : Promise.resolve('open');
  }

  current(runId: string): Promise<{ gate: RunGate; generation: number }> {
    return this.hooks ? this.hooks.current(runId) : Promise.resolve({ gate: 'open', generation: 0 });
  }

  frequencyCaps(runId: string): Promise<readonly FrequencyCap[]> {
    return this.hooks ? this.hooks.frequencyCaps(runId) : Promise.resolve([]);
  }

  sendRate(runId: string): Promise<number | undefined> {
    return this.hooks ? this.hooks.sendRate(runId) : Promise.resolve(undefined);
  }

  async settled(notification: SettledNotification): Promise<void> {
    await this.hooks?.settled(notification);
  }
}
