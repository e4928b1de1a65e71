import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysModule } from './api-keys.module';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { IdempotencyKeyRecord, IdempotencyKeySchema } from './idempotency-key.schema';
import { IdempotencyKeysService } from './idempotency-keys.service';
import { KeysController } from './keys.controller';
import { RateLimiter } from './rate-limiter';

/** Global so any module's controller can use @Auth(scope) and Idempotency-Key without importing access. */
@Global()
@Module({
  imports: [
    ApiKeysModule,
    MongooseModule.forFeature([{ name: IdempotencyKeyRecord.name, schema: IdempotencyKeySchema }]),
  ],
  controllers: [KeysController],
  providers: [RateLimiter, ApiKeyGuard, IdempotencyKeyRepository, IdempotencyKeysService],
  exports: [ApiKeysModule, RateLimiter, ApiKeyGuard, IdempotencyKeysService],
})
export class AccessModule {}
