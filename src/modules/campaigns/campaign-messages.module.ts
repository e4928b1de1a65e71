import { Module } from '@nestjs/common';
import { AudienceModule } from '../audience/audience.module';
import { IngestModule } from '../ingest/ingest.module';
import { PersonalizationModule } from '../personalization/personalization.module';
import { CampaignMessageComposer } from './campaign-message-composer.service';
import { CampaignPreviewService } from './campaign-preview.service';
import { CampaignsModule } from './campaigns.module';
import { RecipientGuardRegistry } from './recipient-guards';

/**
 * Composing campaign messages for users: the composer (previews now, the send fan-out next), the guard
 * registry other modules add eligibility rules to, and previews. Personalization reaches journeys, whose
 * module owns a Bull queue, so this module needs Redis.
 */
@Module({
  imports: [CampaignsModule, AudienceModule, IngestModule, PersonalizationModule],
  providers: [RecipientGuardRegistry, CampaignMessageComposer, CampaignPreviewService],
  exports: [RecipientGuardRegistry, CampaignMessageComposer, CampaignPreviewService, CampaignsModule],
})
export class CampaignMessagesModule {}
