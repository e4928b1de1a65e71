import { Module } from '@nestjs/common';
import { TemplatesModule } from '../templates/templates.module';
import { CampaignDefinitionsService } from './campaign-definitions.service';

/** Reading and validating campaign files against the schema and the templates; no database needed. */
@Module({
  imports: [TemplatesModule],
  providers: [CampaignDefinitionsService],
  exports: [CampaignDefinitionsService, TemplatesModule],
})
export class CampaignDefinitionsModule {}
