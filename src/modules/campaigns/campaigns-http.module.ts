import { Module } from '@nestjs/common';
import { CampaignMessagesModule } from './campaign-messages.module';
import { CampaignsController } from './campaigns.controller';

/** The API role's part of campaigns: listing, state changes, previews and estimates over HTTP. */
@Module({ imports: [CampaignMessagesModule], controllers: [CampaignsController] })
export class CampaignsHttpModule {}
