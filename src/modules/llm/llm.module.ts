import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { LlmClient } from './llm.client';
import { OpenAiLlmClient } from './openai-llm.client';

/** Provides the one LlmClient of the process from the `llm` settings; global so any feature can inject the port. */
@Global()
@Module({
  providers: [
    {
      provide: LlmClient,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Settings, true>) => new OpenAiLlmClient(config.get('llm', { infer: true })),
    },
  ],
  exports: [LlmClient],
})
export class LlmModule {}
