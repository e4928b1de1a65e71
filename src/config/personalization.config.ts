import { integer } from './parsers';
import { withDefault } from './llm.config';
import { defineNamespace, setting } from './setting';

/** LLM copy: what one campaign run may spend, and how long a rejected reply is remembered. */
export const personalizationNamespace = defineNamespace('personalization', {
  maxCallsPerRun: setting(
    'COPY_LLM_MAX_CALLS_PER_RUN',
    withDefault(integer(0, 10_000_000), 2000),
    'LLM copy calls one campaign run (or preview) may make unless the campaign sets copy.budget.calls; cached copy is free.',
  ),
  maxTokensPerRun: setting(
    'COPY_LLM_MAX_TOKENS_PER_RUN',
    withDefault(integer(0, 1_000_000_000), 1_000_000),
    'LLM tokens (prompt and completion) one campaign run may spend unless the campaign sets copy.budget.tokens.',
  ),
  rejectionTtlHours: setting(
    'COPY_REJECTION_TTL_HOURS',
    withDefault(integer(1, 24 * 30), 24),
    'How long a rejected LLM reply is remembered, so users sharing the journey get template copy without a new call.',
  ),
});
