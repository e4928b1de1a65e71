import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccessService } from './access.service';
import { ApiKeyRecord, ApiKeySchema } from './api-key.schema';
import { ApiKeyRepository } from './api-key.repository';

/** Key storage and issuing only (no Redis), for the CLI; AccessModule adds the guard and rate limits. */
@Module({
  imports: [MongooseModule.forFeature([{ name: ApiKeyRecord.name, schema: ApiKeySchema }])],
  providers: [ApiKeyRepository, AccessService],
  exports: [AccessService],
})
export class ApiKeysModule {}
