import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ConsoleAuthGuard, ConsoleSessionReader } from './console-auth.guard';
import { ConsoleSessionRecord, ConsoleSessionSchema } from './console-session.schema';
import { ConsoleSessionRepository } from './console-session.repository';
import { ConsoleSessionsService } from './console-sessions.service';
import { SessionCookies } from './session-cookies';

/** Console sessions on their own, so the pages and Bull Board's middleware check the same cookie the same way. */
@Module({
  imports: [MongooseModule.forFeature([{ name: ConsoleSessionRecord.name, schema: ConsoleSessionSchema }])],
  providers: [SessionCookies, ConsoleSessionRepository, ConsoleSessionsService, ConsoleSessionReader, ConsoleAuthGuard],
  exports: [SessionCookies, ConsoleSessionsService, ConsoleSessionReader, ConsoleAuthGuard],
})
export class ConsoleSessionModule {}
