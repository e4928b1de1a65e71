import { Module } from '@nestjs/common';
import { CampaignRunsController } from './campaign-runs.controller';
import { CampaignRunsModule } from './campaign-runs.module';
import { SendingMetrics } from './sending-metrics';

/** The API role's part of campaign runs: start, list, pause, resume, cancel and explain over HTTP, and sending metrics. */
@Module({ imports: [CampaignRunsModule], controllers: [CampaignRunsController], providers: [SendingMetrics] })
export class CampaignRunsHttpModule {}
