import { Module } from '@nestjs/common';
import { JourneyModelsController } from './journey-models.controller';
import { JourneysController } from './journeys.controller';
import { JourneysModule } from './journeys.module';

/** The API role's part of journeys: reading, rebuilding, run management and the current model over HTTP. */
@Module({ imports: [JourneysModule], controllers: [JourneysController, JourneyModelsController] })
export class JourneysHttpModule {}
