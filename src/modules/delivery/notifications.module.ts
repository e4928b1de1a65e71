import { BullModule } from '@nestjs/bull';
import { Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { UserErasureRegistry } from '../../common/erasure/user-erasure.registry';
import { Settings } from '../../config/settings';
import { IngestModule } from '../ingest/ingest.module';
import { DeliveryMetrics } from './delivery.metrics';
import { FrequencyCaps } from './frequency-caps';
import { DELIVERY_QUEUE, DeliveryProducer } from './jobs/delivery.queue';
import { NotificationLifecycle } from './notification-lifecycle';
import { MessageRenderRepository } from './message-render.repository';
import { NotificationErasure } from './notification-erasure';
import { MessageRenderRecord, MessageRenderSchema } from './message-render.schema';
import { NotificationRecord, NotificationSchema } from './notification.schema';
import { TimeZoneRejudge } from './time-zone-rejudge';
import { RunTally } from './run-tally';
import { NotificationRepository } from './notification.repository';

/** The delivery queue, with lock and stall timings from configuration (short ones in crash tests). */
const deliveryQueue = BullModule.registerQueueAsync({
  name: DELIVERY_QUEUE,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Settings, true>) => {
    const delivery = config.get('delivery', { infer: true });
    return {
      settings: {
        lockDuration: delivery.lockDurationMs,
        stalledInterval: delivery.stalledIntervalMs,
        // A stalled job is re-run, never failed for stalling: the notification's lease, not Bull, guards the send.
        maxStalledCount: 1000,
      },
    };
  },
});

/**
 * Notification records and what creates them needs: the records, frequency caps, the delivery queue's
 * producer, the lifecycle hooks a run owner registers, and the cluster-wide notification counters.
 * The delivery job itself is in DeliveryJobsModule (worker role).
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: NotificationRecord.name, schema: NotificationSchema },
      { name: MessageRenderRecord.name, schema: MessageRenderSchema },
    ]),
    deliveryQueue,
    // The profile's time zone, read when waiting messages are judged again in it.
    IngestModule,
  ],
  providers: [
    NotificationRepository,
    MessageRenderRepository,
    NotificationErasure,
    NotificationLifecycle,
    FrequencyCaps,
    DeliveryMetrics,
    DeliveryProducer,
    RunTally,
    TimeZoneRejudge,
  ],
  exports: [
    NotificationRepository,
    MessageRenderRepository,
    NotificationErasure,
    RunTally,
    NotificationLifecycle,
    FrequencyCaps,
    DeliveryMetrics,
    DeliveryProducer,
    deliveryQueue,
  ],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly notifications: NotificationErasure,
  ) {}

  onModuleInit(): void {
    // First: tracking requests find a user by their notifications (see ERASURE_PHASES).
    this.erasure.register({
      name: 'notifications',
      phase: 'notifications',
      erase: (userId) => this.notifications.erase({ userId }),
    });
  }
}
