import { Global, Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysModule } from './api-keys.module';
import { KeysController } from './keys.controller';
import { RateLimiter } from './rate-limiter';

/** Global so any module's controller can use @Auth(scope) without importing access. */
@Global()
@Module({
  imports: [ApiKeysModule],
  controllers: [KeysController],
  providers: [RateLimiter, ApiKeyGuard],
  exports: [ApiKeysModule, RateLimiter, ApiKeyGuard],
})
export class AccessModule {}
