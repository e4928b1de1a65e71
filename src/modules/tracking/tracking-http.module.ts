import { Module } from '@nestjs/common';
import { TemplatesModule } from '../templates/templates.module';
import { EngagementService } from './engagement.service';
import { SuppressionsController } from './suppressions.controller';
import { TrackingApiController } from './tracking-api.controller';
import { TrackingLinksController } from './tracking-links.controller';
import { TrackingModule } from './tracking.module';
import { TrackingOutcomesModule } from './tracking-outcomes.module';
import { UserUnsubscribesController } from './user-unsubscribes.controller';
import { UnsubscribesService } from './unsubscribes.service';

/**
 * The public side of tracking, in the api role: the links inside messages (open pixel, click redirect,
 * unsubscribe page and one-click POST), the app's push-open callback, the backend's conversions and the
 * operators' suppression list, and users' unsubscribes as the product's preference center sets them.
 * First engagements are passed on to experiment outcomes and the ranker's training labels.
 */
@Module({
  imports: [TrackingModule, TrackingOutcomesModule, TemplatesModule],
  controllers: [TrackingLinksController, TrackingApiController, SuppressionsController, UserUnsubscribesController],
  providers: [EngagementService, UnsubscribesService],
})
export class TrackingHttpModule {}
