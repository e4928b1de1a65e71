import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccessService } from './access.service';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyRecord, ApiKeySchema } from './api-key.schema';
import { ApiKeyRepository } from './api-key.repository';
import { KeysController } from './keys.controller';
import { RateLimiter } from './rate-limiter';

/** Global so any module's controller can use @Auth(scope) without importing access. */
@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: ApiKeyRecord.name, schema: ApiKeySchema }])],
  controllers: [KeysController],
  providers: [ApiKeyRepository, AccessService, RateLimiter, ApiKeyGuard],
  exports: [AccessService, RateLimiter, ApiKeyGuard],
})
export class AccessModule {}
