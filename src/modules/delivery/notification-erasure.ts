import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { rm } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { Settings } from '../../config/settings';
import { MessageRenderRepository } from './message-render.repository';
import { NotificationOwners, NotificationRepository } from './notification.repository';

/**
 * Removes notifications with the renders only they referred to (a render other users got stays): a user's,
 * when they are erased, or a run's for users erased while it wrote them. A run creating another user's
 * notification with one of those renders at this moment stores the render again after creating it, which
 * either restores it or marks it used since the removal began. The files the outbox channel wrote for them
 * go first, while the notifications still say where they are (only files inside DELIVERY_OUTBOX_DIR, as
 * this process sees it).
 */
@Injectable()
export class NotificationErasure {
  private readonly logger = new Logger(NotificationErasure.name);
  private readonly outboxDir: string;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly renders: MessageRenderRepository,
    config: ConfigService<Settings, true>,
  ) {
    this.outboxDir = resolve(config.get('delivery', { infer: true }).outboxDir);
  }

  /** How many notifications and renders went. */
  async erase(whose: NotificationOwners): Promise<number> {
    const started = new Date();
    await this.removeOutboxFiles(await this.notifications.outboxFilesOf(whose));
    const renderIds = await this.notifications.renderIdsOf(whose);
    const erased = await this.notifications.deleteOf(whose);
    const unreferenced = await this.notifications.unreferencedRenders(renderIds);
    return erased + (await this.renders.deleteMany(unreferenced, started));
  }

  private async removeOutboxFiles(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      const inside = relative(this.outboxDir, resolve(path));
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
        this.logger.warn(`outbox file ${path} is outside ${this.outboxDir}: left in place`);
        continue;
      }
      await rm(resolve(path), { force: true });
    }
  }
}
