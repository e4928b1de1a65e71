import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AudienceModule } from '../audience/audience.module';
import { AudienceEstimateService } from './audience-estimate.service';
import { CampaignDefinitionsModule } from './campaign-definitions.module';
import { CampaignChangeRecord, CampaignChangeSchema, CampaignRecord, CampaignSchema } from './campaign.schema';
import { CampaignRepository } from './campaign.repository';
import { CampaignsService } from './campaigns.service';

/**
 * Campaigns as code: definitions from the campaigns folder, their state in MongoDB and audience
 * estimates. Needs no Redis, so every CLI command but preview runs on MongoDB alone.
 */
@Module({
  imports: [
    AudienceModule,
    CampaignDefinitionsModule,
    MongooseModule.forFeature([
      { name: CampaignRecord.name, schema: CampaignSchema },
      { name: CampaignChangeRecord.name, schema: CampaignChangeSchema },
    ]),
  ],
  providers: [CampaignRepository, CampaignsService, AudienceEstimateService],
  exports: [CampaignRepository, CampaignsService, AudienceEstimateService, CampaignDefinitionsModule],
})
export class CampaignsModule {}
