import { LlmCompletion, LlmCompletionRequest } from './llm.types';
import { LlmUsageMeter } from './llm-usage';

/**
 * The port every LLM caller depends on. `OpenAiLlmClient` is the production adapter; callers check
 * `available` and fall back (templates, keyword namer) when it is false or a call fails.
 */
export abstract class LlmClient {
  abstract readonly available: boolean;
  abstract readonly usage: LlmUsageMeter;
  abstract complete(request: LlmCompletionRequest): Promise<LlmCompletion>;
  abstract embed(texts: string[]): Promise<number[][]>;
}
