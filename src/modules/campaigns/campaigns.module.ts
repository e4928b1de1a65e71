import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AudienceModule } from '../audience/audience.module';
import { AudienceEstimateService } from './audience-estimate.service';
import { CampaignDefinitionsModule } from './campaign-definitions.module';
import { CampaignChangeRecord, CampaignChangeSchema, CampaignRecord, CampaignSchema } from './campaign.schema';
import { CampaignRepository } from './campaign.repository';
import { CampaignsService } from './campaigns.service';
import { CampaignRunRecord, CampaignRunSchema } from './runs/campaign-run.schema';
import { RunsInProgress } from './runs-in-progress';

/**
 * Campaigns as code: definitions from the campaigns folder, their state in MongoDB and audience
 * estimates. Needs no Redis, so every CLI command but preview runs on MongoDB alone. The runs are read
 * (never written) from their collection, to say which of a paused campaign's runs go on sending: the runs
 * module's queue would need Redis.
 */
@Module({
  imports: [
    AudienceModule,
    CampaignDefinitionsModule,
    MongooseModule.forFeature([
      { name: CampaignRecord.name, schema: CampaignSchema },
      { name: CampaignChangeRecord.name, schema: CampaignChangeSchema },
      { name: CampaignRunRecord.name, schema: CampaignRunSchema },
    ]),
  ],
  providers: [CampaignRepository, RunsInProgress, CampaignsService, AudienceEstimateService],
  exports: [CampaignRepository, CampaignsService, AudienceEstimateService, CampaignDefinitionsModule],
})
export class CampaignsModule {}
