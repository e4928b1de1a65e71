import { Module } from '@nestjs/common';
import { JourneysController } from './journeys.controller';
import { JourneysModule } from './journeys.module';

/** The API role's part of journeys: reading, rebuilding and run management over HTTP. */
@Module({ imports: [JourneysModule], controllers: [JourneysController] })
export class JourneysHttpModule {}
