import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MetricsRegistry } from '../../common/metrics/metrics.registry';
import { Settings } from '../../config/settings';
import { LlmClient } from './llm.client';
import { llmMetricsObserver } from './llm.metrics';
import { OpenAiLlmClient } from './openai-llm.client';

/** Provides the one LlmClient of the process from the `llm` settings; global so any feature can inject the port. */
@Global()
@Module({
  providers: [
    {
      provide: LlmClient,
      // Contexts without metrics (some CLI commands) still get a client.
      inject: [ConfigService, { token: MetricsRegistry, optional: true }],
      useFactory: (config: ConfigService<Settings, true>, metrics?: MetricsRegistry) =>
        new OpenAiLlmClient(config.get('llm', { infer: true }), metrics && llmMetricsObserver(metrics)),
    },
  ],
  exports: [LlmClient],
})
export class LlmModule {}
