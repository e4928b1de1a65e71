import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AudienceModule } from '../audience/audience.module';
import { EventRecord, EventSchema } from './event.schema';
import { EventRepository } from './event.repository';
import { EventsImportService } from './events-import.service';
import { EventsService } from './events.service';
import { IngestMetrics } from './ingest.metrics';
import { UserRecord, UserSchema } from './user.schema';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

/**
 * Users and activity events: storage, validation, erasure and import. Later modules read them through
 * EventRepository and UserRepository; the HTTP endpoints are in IngestApiModule.
 */
@Module({
  imports: [
    AudienceModule,
    MongooseModule.forFeature([
      { name: EventRecord.name, schema: EventSchema },
      { name: UserRecord.name, schema: UserSchema },
    ]),
  ],
  providers: [EventRepository, UserRepository, EventsService, UsersService, EventsImportService, IngestMetrics],
  exports: [EventRepository, UserRepository, EventsService, UsersService, EventsImportService],
})
export class IngestModule {}
