import { MetricsRegistry } from '../../common/metrics/metrics.registry';
import { LlmUsageObserver } from './llm-usage';

/** LLM calls and tokens by purpose in /metrics: the usage meter of the process's client feeds them. */
export function llmMetricsObserver(metrics: MetricsRegistry): LlmUsageObserver {
  const calls = metrics.counter('journeycast_llm_calls_total', 'LLM calls by purpose and outcome', [
    'purpose',
    'outcome',
  ]);
  const tokens = metrics.counter('journeycast_llm_tokens_total', 'LLM tokens by purpose and kind', ['purpose', 'kind']);
  return (purpose, outcome, promptTokens, completionTokens) => {
    calls.inc({ purpose, outcome });
    if (promptTokens > 0) tokens.inc({ purpose, kind: 'prompt' }, promptTokens);
    if (completionTokens > 0) tokens.inc({ purpose, kind: 'completion' }, completionTokens);
  };
}
