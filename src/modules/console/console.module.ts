import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CampaignMessagesModule } from '../campaigns/campaign-messages.module';
import { CampaignRunsModule } from '../campaigns/runs/campaign-runs.module';
import { ModelStoreModule } from '../../common/model-store/model-store.module';
import { AudienceModule } from '../audience/audience.module';
import { ExperimentsModule } from '../experiments/experiments.module';
import { JourneyJudgeModule } from '../journey-judge/journey-judge.module';
import { JourneysModule } from '../journeys/journeys.module';
import { ConsoleAuthController } from './pages/console-auth.controller';
import { ConsoleExperimentsController } from './pages/console-experiments.controller';
import { ConsoleJourneysController } from './pages/console-journeys.controller';
import { ConsoleJourneysService } from './pages/console-journeys.service';
import { ConsoleCampaignsController } from './pages/console-campaigns.controller';
import { ConsoleCampaignsService } from './pages/console-campaigns.service';
import { ConsoleRunsController } from './pages/console-runs.controller';
import { ConsoleRunsService } from './pages/console-runs.service';
import { ConsoleExceptionFilter } from './pages/console-exception.filter';
import { QueueBoardRegistrar, queueBoardModule } from './queues/queue-board';
import { ConsoleSessionModule } from './session/console-session.module';
import { ConsoleViews } from './views/console-views';

/**
 * The web console under /console: server-rendered pages over the campaigns, runs, experiments and journeys
 * services, signed in with an admin API key exchanged for a session cookie. It only reads and calls
 * those services; nothing imports it.
 */
@Module({
  imports: [
    CampaignMessagesModule,
    CampaignRunsModule,
    ExperimentsModule,
    JourneysModule,
    JourneyJudgeModule,
    AudienceModule,
    ModelStoreModule,
    ConsoleSessionModule,
    DiscoveryModule,
    queueBoardModule,
  ],
  controllers: [
    ConsoleAuthController,
    ConsoleCampaignsController,
    ConsoleRunsController,
    ConsoleExperimentsController,
    ConsoleJourneysController,
  ],
  providers: [
    ConsoleViews,
    ConsoleExceptionFilter,
    ConsoleCampaignsService,
    ConsoleRunsService,
    ConsoleJourneysService,
    QueueBoardRegistrar,
  ],
})
export class ConsoleModule {}
