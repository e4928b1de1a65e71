import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { IngestModule } from './ingest.module';
import { UsersController } from './users.controller';

/** The /v1 users and events endpoints; mounted by the API role only (they need the key guard). */
@Module({ imports: [IngestModule], controllers: [UsersController, EventsController] })
export class IngestApiModule {}
