import { Module } from '@nestjs/common';
import { CampaignRunsController } from './campaign-runs.controller';
import { CampaignRunsModule } from './campaign-runs.module';

/** The API role's part of campaign runs: start, list, pause, resume, cancel and explain over HTTP. */
@Module({ imports: [CampaignRunsModule], controllers: [CampaignRunsController] })
export class CampaignRunsHttpModule {}
