import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { resolveKeyRing } from './tracking-keys';
import { TRACKING_KEY_RING, TrackingTokens } from './tracking-tokens.service';

/** Signed tracking tokens alone (no database): the key ring of this deployment and the token service. */
@Module({
  providers: [
    {
      provide: TRACKING_KEY_RING,
      inject: [ConfigService],
      useFactory: async (config: ConfigService<Settings, true>) => {
        const logger = new Logger('TrackingKeys');
        const { ring } = await resolveKeyRing(config.get('tracking', { infer: true }), (path) =>
          logger.warn(`Generated a development tracking key in ${path}; set TRACKING_SIGNING_KEYS in production`),
        );
        return ring;
      },
    },
    TrackingTokens,
  ],
  exports: [TrackingTokens],
})
export class TrackingTokensModule {}
