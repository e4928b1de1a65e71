import { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { UserErasureRegistry } from '../../../src/common/erasure/user-erasure.registry';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { NotificationsModule } from '../../../src/modules/delivery/notifications.module';
import { ExperimentAssignments } from '../../../src/modules/experiments/experiment-ports';
import { TrackedNotification } from '../../../src/modules/tracking/notification-tracking';
import { TrackingOutcomesModule } from '../../../src/modules/tracking/tracking-outcomes.module';
import { buildCampaign } from '../../factories/campaign.factory';
import { LINKS_BASE, sendTracked } from '../../e2e/support/tracking';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { startCampaignsContext } from '../campaigns/campaigns-harness';

const HOUR = 3_600_000;
export const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR);

/** Where a user's notifications, tracking, conversions and experiment outcomes are stored. */
export const USER_COLLECTIONS = [
  'notifications',
  'tracked_notifications',
  'conversions',
  'tracking_events',
  'experiment_assignments',
  'experiment_outcomes',
] as const;

export interface ErasureContext {
  app: INestApplicationContext;
  /** How many records of the user each of USER_COLLECTIONS holds. */
  left(userId: string): Promise<Record<(typeof USER_COLLECTIONS)[number], number>>;
  /** The user assigned in the `digest` experiment, then sent a notification of it two hours ago. */
  assignedAndSent(userId: string, stored: 'in-notification' | 'own-record'): Promise<TrackedNotification>;
  /** The whole erasure of the user, as `DELETE /v1/users/:userId` runs it. */
  erase(userId: string): Promise<Record<string, number>>;
}

/**
 * Tracking, conversions, experiments and notifications on real MongoDB and Redis, without HTTP, for the
 * describe block (beforeAll / afterAll); the fields are set once its tests run.
 */
export function useErasureContext(database: string): ErasureContext {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  const context = {} as ErasureContext;
  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    context.app = await startCampaignsContext(
      mongo.uri,
      redis,
      database,
      { PUBLIC_BASE_URL: LINKS_BASE, TRACKING_CONVERSION_WINDOW_HOURS: '24' },
      [NotificationsModule, TrackingOutcomesModule],
    );
  });
  afterAll(async () => {
    await context.app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });
  context.left = async (userId) => {
    const db = context.app.get<Connection>(getConnectionToken());
    const counts = await Promise.all(USER_COLLECTIONS.map((name) => db.collection(name).countDocuments({ userId })));
    return Object.fromEntries(USER_COLLECTIONS.map((name, i) => [name, counts[i]])) as never;
  };
  context.assignedAndSent = async (userId, stored) => {
    const campaign = buildCampaign({ id: 'digest' });
    const decision = await context.app
      .get(ExperimentAssignments)
      .assign({ campaign, runId: `run-${userId}`, userId, now: hoursAgo(3) });
    const experiment = { experimentId: decision.experimentId!, armId: decision.armId! };
    const overrides = { notificationId: `sent-${userId}`, runId: `run-${userId}`, userId, experiment };
    return (await sendTracked(context.app, overrides, hoursAgo(2), stored)).notification;
  };
  context.erase = (userId) => context.app.get(UserErasureRegistry).eraseAll(userId);
  return context;
}
