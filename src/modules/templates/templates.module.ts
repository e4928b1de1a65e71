import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { resolve } from 'node:path';
import { Settings } from '../../config/settings';
import { TEMPLATES_OPTIONS, TemplatesOptions, TemplatesService } from './templates.service';

/** Templates from `TEMPLATES_DIR` (resolved from the working directory) with the configured push limits. */
@Module({
  providers: [
    {
      provide: TEMPLATES_OPTIONS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Settings, true>): TemplatesOptions => {
        const settings = config.get('templates', { infer: true });
        return {
          dir: resolve(process.cwd(), settings.dir),
          pushLimits: {
            titleMaxChars: settings.pushTitleMaxChars,
            bodyMaxChars: settings.pushBodyMaxChars,
            payloadMaxBytes: settings.pushPayloadMaxBytes,
          },
        };
      },
    },
    TemplatesService,
  ],
  exports: [TemplatesService],
})
export class TemplatesModule {}
