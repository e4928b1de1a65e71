import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EventRecord, EventSchema } from './event.schema';
import { EventRepository } from './event.repository';
import { EventsController } from './events.controller';
import { EventsImportService } from './events-import.service';
import { EventsService } from './events.service';
import { IngestMetrics } from './ingest.metrics';
import { UserRecord, UserSchema } from './user.schema';
import { UserRepository } from './user.repository';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Users and activity events in; later modules read them through EventRepository and UserRepository. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: EventRecord.name, schema: EventSchema },
      { name: UserRecord.name, schema: UserSchema },
    ]),
  ],
  controllers: [UsersController, EventsController],
  providers: [EventRepository, UserRepository, EventsService, UsersService, EventsImportService, IngestMetrics],
  exports: [EventRepository, UserRepository, EventsService, EventsImportService],
})
export class IngestModule {}
