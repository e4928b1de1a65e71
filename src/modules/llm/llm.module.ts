import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MetricsRegistry } from '../../common/metrics/metrics.registry';
import { Settings } from '../../config/settings';
import { LlmClient } from './llm.client';
import { llmMetricsHooks } from './llm.metrics';
import { OpenAiLlmClient } from './openai-llm.client';

/** Optional provider of the clock the client's rests are timed by (`() => number`, milliseconds); unset: `Date.now`. */
export const LLM_CLOCK = Symbol('LLM_CLOCK');

/** Provides the one LlmClient of the process from the `llm` settings; global so any feature can inject the port. */
@Global()
@Module({
  providers: [
    {
      provide: LlmClient,
      // Contexts without metrics (some CLI commands) still get a client.
      inject: [ConfigService, { token: MetricsRegistry, optional: true }, { token: LLM_CLOCK, optional: true }],
      useFactory: (config: ConfigService<Settings, true>, metrics?: MetricsRegistry, now?: () => number) =>
        new OpenAiLlmClient(config.get('llm', { infer: true }), { ...(metrics && llmMetricsHooks(metrics)), now }),
    },
  ],
  exports: [LlmClient],
})
export class LlmModule {}
