import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../../experiments/experiments.module';
import { IngestModule } from '../../ingest/ingest.module';
import { TemplatesModule } from '../../templates/templates.module';
import { TrackingModule } from '../../tracking/tracking.module';
import { AfterSend } from '../after-send';
import { CapSlots } from '../cap-slots';
import { DeliveryAttempt } from '../delivery-attempt';
import { DeliveryModule } from '../delivery.module';
import { NotificationBatchDelivery } from '../notification-batch-delivery.service';
import { NotificationDeliveryService } from '../notification-delivery.service';
import { NotificationsModule } from '../notifications.module';
import { OutboundMessages } from '../outbound-messages';
import { RecipientChecks } from '../recipient-checks';
import { StrandedDeliveries } from '../stranded-deliveries';
import { DeliveryProcessor } from './delivery.processor';

/** The worker role's part of delivery: the delivery job and everything it calls, and the sweep of stranded messages. */
@Module({
  imports: [NotificationsModule, DeliveryModule, TemplatesModule, IngestModule, TrackingModule, ExperimentsModule],
  providers: [
    RecipientChecks,
    CapSlots,
    OutboundMessages,
    AfterSend,
    DeliveryAttempt,
    NotificationDeliveryService,
    NotificationBatchDelivery,
    StrandedDeliveries,
    DeliveryProcessor,
  ],
  exports: [NotificationDeliveryService, OutboundMessages],
})
export class DeliveryJobsModule {}
