import { Injectable } from '@nestjs/common';
import { MessageRenderRepository } from './message-render.repository';
import { NotificationOwners, NotificationRepository } from './notification.repository';

/**
 * Removes notifications with the renders only they referred to (a render other users got stays): a user's,
 * when they are erased, or a run's for users erased while it wrote them. A run creating another user's
 * notification with one of those renders at this moment stores the render again after creating it, which
 * either restores it or marks it used since the removal began.
 */
@Injectable()
export class NotificationErasure {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly renders: MessageRenderRepository,
  ) {}

  /** How many notifications and renders went. */
  async erase(whose: NotificationOwners): Promise<number> {
    const started = new Date();
    const renderIds = await this.notifications.renderIdsOf(whose);
    const erased = await this.notifications.deleteOf(whose);
    const unreferenced = await this.notifications.unreferencedRenders(renderIds);
    return erased + (await this.renders.deleteMany(unreferenced, started));
  }
}
