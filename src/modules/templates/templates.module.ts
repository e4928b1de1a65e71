import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { resolve } from 'node:path';
import { Settings } from '../../config/settings';
import { linkHostProblem } from '../tracking/domain/link-hosts';
import { TEMPLATES_OPTIONS, TemplatesOptions, TemplatesService } from './templates.service';

/**
 * Templates from `TEMPLATES_DIR` (resolved from the working directory) with the configured push limits; a
 * tracked link to a host outside TRACKING_LINK_HOSTS fails its recipient's render.
 */
@Module({
  providers: [
    {
      provide: TEMPLATES_OPTIONS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Settings, true>): TemplatesOptions => {
        const settings = config.get('templates', { infer: true });
        const { linkHosts } = config.get('tracking', { infer: true });
        return {
          dir: resolve(process.cwd(), settings.dir),
          pushLimits: {
            titleMaxChars: settings.pushTitleMaxChars,
            bodyMaxChars: settings.pushBodyMaxChars,
            payloadMaxBytes: settings.pushPayloadMaxBytes,
          },
          linkDestinationProblem: (url) => linkHostProblem(linkHosts, url),
        };
      },
    },
    TemplatesService,
  ],
  exports: [TemplatesService],
})
export class TemplatesModule {}
