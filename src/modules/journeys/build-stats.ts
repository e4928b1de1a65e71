import { LlmClient } from '../llm/llm.client';
import { LlmCompletion } from '../llm/llm.types';

/** What building some users cost in LLM calls and time; summed per shard and stored on the run. */
export interface BuildStats {
  namingCalls: number;
  namingCacheHits: number;
  namingFallbacks: number;
  expansionCalls: number;
  expansionFallbacks: number;
  promptTokens: number;
  completionTokens: number;
}

export function emptyBuildStats(): BuildStats {
  return {
    namingCalls: 0,
    namingCacheHits: 0,
    namingFallbacks: 0,
    expansionCalls: 0,
    expansionFallbacks: 0,
    promptTokens: 0,
    completionTokens: 0,
  };
}

/**
 * Asks the LLM for structured output with a prompt's system and user messages, counting its tokens; `model`
 * picks a chat model other than the configured one.
 */
export async function completeStructured(
  llm: LlmClient,
  purpose: string,
  prompt: { system: string; user: string; schema: { name: string; schema: Record<string, unknown> } },
  maxTokens: number,
  stats: Pick<BuildStats, 'promptTokens' | 'completionTokens'>,
  model?: string,
): Promise<LlmCompletion> {
  const reply = await llm.complete({
    purpose,
    ...(model !== undefined && { model }),
    messages: [
      { role: 'system', content: prompt.system },
      { role: 'user', content: prompt.user },
    ],
    jsonSchema: prompt.schema,
    maxTokens,
  });
  stats.promptTokens += reply.promptTokens;
  stats.completionTokens += reply.completionTokens;
  return reply;
}
