import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AudienceModule } from '../audience/audience.module';
import { UserErasureRegistry } from '../../common/erasure/user-erasure.registry';
import { ConversionRepository } from './conversion.repository';
import { ConversionRecord, ConversionSchema } from './conversion.schema';
import { NotificationTracking, RecipientPreferences } from './notification-tracking';
import { NotificationTrackingService } from './notification-tracking.service';
import { SuppressionRecord, SuppressionSchema, UnsubscribeRecord, UnsubscribeSchema } from './preferences.schema';
import { RecipientPreferencesService } from './recipient-preferences.service';
import { SuppressionRepository } from './suppression.repository';
import { TrackedNotificationRepository } from './tracked-notification.repository';
import {
  NotificationTrackingView,
  NotificationTrackingViewSchema,
  TrackedNotificationRecord,
  TrackedNotificationSchema,
} from './tracked-notification.schema';
import { TrackingEventRepository } from './tracking-event.repository';
import { TrackingEventRecord, TrackingEventSchema } from './tracking-event.schema';
import { TrackingTokensModule } from './tracking-tokens.module';
import { UnsubscribeRepository } from './unsubscribe.repository';

/**
 * Tracking for every role: `NotificationTracking` (delivery asks it for a message's signed URLs) and
 * `RecipientPreferences` (unsubscribes and suppressions, checked right before each send), over the
 * tracking collections. The HTTP endpoints are in TrackingHttpModule.
 */
@Module({
  imports: [
    AudienceModule,
    TrackingTokensModule,
    MongooseModule.forFeature([
      { name: TrackedNotificationRecord.name, schema: TrackedNotificationSchema },
      { name: NotificationTrackingView.name, schema: NotificationTrackingViewSchema },
      { name: TrackingEventRecord.name, schema: TrackingEventSchema },
      { name: UnsubscribeRecord.name, schema: UnsubscribeSchema },
      { name: SuppressionRecord.name, schema: SuppressionSchema },
      { name: ConversionRecord.name, schema: ConversionSchema },
    ]),
  ],
  providers: [
    TrackedNotificationRepository,
    TrackingEventRepository,
    UnsubscribeRepository,
    SuppressionRepository,
    ConversionRepository,
    NotificationTrackingService,
    RecipientPreferencesService,
    { provide: NotificationTracking, useExisting: NotificationTrackingService },
    { provide: RecipientPreferences, useExisting: RecipientPreferencesService },
  ],
  exports: [
    TrackingTokensModule,
    NotificationTracking,
    RecipientPreferences,
    NotificationTrackingService,
    RecipientPreferencesService,
    TrackedNotificationRepository,
    TrackingEventRepository,
    ConversionRepository,
  ],
})
export class TrackingModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly notifications: TrackedNotificationRepository,
    private readonly events: TrackingEventRepository,
    private readonly unsubscribes: UnsubscribeRepository,
    private readonly conversions: ConversionRepository,
  ) {}

  onModuleInit(): void {
    // A request that found a notification or a pending conversion and wrote after their erasure takes its
    // writes back (ErasedMeanwhile), so what requests read goes first (see ERASURE_PHASES).
    this.erasure.register({
      name: 'tracking',
      phase: 'notifications',
      erase: (userId) => this.notifications.deleteByUser(userId),
    });
    this.erasure.register({
      name: 'tracking',
      phase: 'conversions',
      // A conversion reported after this phase is taken back by its report once it finds the profile marked;
      // found gone, it is erased here again (see ErasedMeanwhile.ofMarkedUser).
      againAfterProfile: true,
      erase: (userId) => this.conversions.deleteByUser(userId),
    });
    this.erasure.register({ name: 'tracking', erase: (userId) => this.events.deleteByUser(userId) });
    this.erasure.register({
      name: 'unsubscribes',
      // One left through the API after this ran is taken back once the profile is found marked; found gone, it is
      // erased here again.
      againAfterProfile: true,
      erase: (userId) => this.unsubscribes.deleteByUser(userId),
    });
  }
}
