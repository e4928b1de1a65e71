import { integer, optional, Parser, text, url } from './parsers';
import { defineNamespace, setting } from './setting';

/** A parser whose unset value is `fallback`, so deployments need not list every tuning knob in config files. */
export function withDefault<T>(parser: Parser<T>, fallback: T): Parser<T> {
  return (raw, variable) => (raw === undefined || raw === null || raw === '' ? fallback : parser(raw, variable));
}

/** The one LLM client (any OpenAI-compatible endpoint); without an API key the product uses no LLM. */
export const llmNamespace = defineNamespace('llm', {
  apiKey: setting(
    'OPENAI_API_KEY',
    optional(text()),
    'API key of the OpenAI-compatible endpoint; unset turns LLM features off.',
  ),
  baseUrl: setting(
    'OPENAI_BASE_URL',
    withDefault(url(['http:', 'https:']), 'https://api.openai.com/v1'),
    'Base URL of the OpenAI-compatible endpoint (OpenAI, Azure, Ollama, vLLM).',
  ),
  model: setting(
    'OPENAI_MODEL',
    withDefault(text(), 'gpt-4o-mini'),
    'Chat model for journey names, expansions and copy.',
  ),
  embeddingModel: setting('OPENAI_EMBEDDING_MODEL', withDefault(text(), 'text-embedding-3-small'), 'Embedding model.'),
  timeoutMs: setting('OPENAI_TIMEOUT_MS', withDefault(integer(100, 600_000), 20_000), 'Timeout of one LLM request.'),
  maxRetries: setting(
    'OPENAI_MAX_RETRIES',
    withDefault(integer(0, 10), 2),
    'Retries of a failed LLM request (by the SDK).',
  ),
  concurrency: setting(
    'OPENAI_CONCURRENCY',
    withDefault(integer(1, 256), 8),
    'LLM requests one process sends at once.',
  ),
  restAfterFailures: setting(
    'OPENAI_REST_AFTER_FAILURES',
    withDefault(integer(1, 1000), 3),
    'Failed LLM calls in a row to one model after which a process stops calling it for OPENAI_REST_MS.',
  ),
  restMs: setting(
    'OPENAI_REST_MS',
    withDefault(integer(1000, 3_600_000), 60_000),
    'How long a process makes no call to a model that keeps failing; then one trial call decides.',
  ),
});
