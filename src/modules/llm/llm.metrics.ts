import { MetricsRegistry } from '../../common/metrics/metrics.registry';
import { LlmClientHooks } from './openai-llm.client';

/**
 * LLM calls and tokens by purpose in /metrics, which the usage meter of the process's client feeds, and
 * whether each model rests after failures (1 from the failure that starts a rest until a call succeeds).
 */
export function llmMetricsHooks(metrics: MetricsRegistry): Pick<LlmClientHooks, 'usage' | 'breaker'> {
  const calls = metrics.counter('journeycast_llm_calls_total', 'LLM calls by purpose and outcome', [
    'purpose',
    'outcome',
  ]);
  const tokens = metrics.counter('journeycast_llm_tokens_total', 'LLM tokens by purpose and kind', ['purpose', 'kind']);
  const open = metrics.gauge(
    'journeycast_llm_breaker_open',
    'Whether calls to an LLM model rest after failures in a row (1) or go through (0)',
    ['model'],
  );
  return {
    usage: (purpose, outcome, promptTokens, completionTokens) => {
      calls.inc({ purpose, outcome });
      if (promptTokens > 0) tokens.inc({ purpose, kind: 'prompt' }, promptTokens);
      if (completionTokens > 0) tokens.inc({ purpose, kind: 'completion' }, completionTokens);
    },
    breaker: (model, state) => open.set({ model }, state === 'closed' ? 0 : 1),
  };
}
