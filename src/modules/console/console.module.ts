import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CampaignMessagesModule } from '../campaigns/campaign-messages.module';
import { ModelStoreModule } from '../../common/model-store/model-store.module';
import { AudienceModule } from '../audience/audience.module';
import { ExperimentsModule } from '../experiments/experiments.module';
import { JourneysModule } from '../journeys/journeys.module';
import { ConsoleAuthController } from './pages/console-auth.controller';
import { ConsoleExperimentsController } from './pages/console-experiments.controller';
import { ConsoleJourneysController } from './pages/console-journeys.controller';
import { ConsoleJourneysService } from './pages/console-journeys.service';
import { ConsoleCampaignsController } from './pages/console-campaigns.controller';
import { ConsoleCampaignsService } from './pages/console-campaigns.service';
import { ConsoleExceptionFilter } from './pages/console-exception.filter';
import { ConsoleAuthGuard, ConsoleSessionReader } from './session/console-auth.guard';
import { ConsoleSessionRecord, ConsoleSessionSchema } from './session/console-session.schema';
import { ConsoleSessionRepository } from './session/console-session.repository';
import { ConsoleSessionsService } from './session/console-sessions.service';
import { SessionCookies } from './session/session-cookies';
import { ConsoleViews } from './views/console-views';

/**
 * The web console under /console: server-rendered pages over the campaigns, experiments and journeys
 * services, signed in with an admin API key exchanged for a session cookie. It only reads and calls
 * those services; nothing imports it.
 */
@Module({
  imports: [
    CampaignMessagesModule,
    ExperimentsModule,
    JourneysModule,
    AudienceModule,
    ModelStoreModule,
    MongooseModule.forFeature([{ name: ConsoleSessionRecord.name, schema: ConsoleSessionSchema }]),
  ],
  controllers: [
    ConsoleAuthController,
    ConsoleCampaignsController,
    ConsoleExperimentsController,
    ConsoleJourneysController,
  ],
  providers: [
    ConsoleViews,
    SessionCookies,
    ConsoleSessionRepository,
    ConsoleSessionsService,
    ConsoleSessionReader,
    ConsoleAuthGuard,
    ConsoleExceptionFilter,
    ConsoleCampaignsService,
    ConsoleJourneysService,
  ],
})
export class ConsoleModule {}
