import { LlmCompletion, LlmCompletionRequest } from './llm.types';
import { LlmUsageMeter } from './llm-usage';

/**
 * The port every LLM caller depends on. `OpenAiLlmClient` is the production adapter; callers check
 * `available` and fall back (templates, keyword namer) when it is false or a call fails, an
 * `LlmRestingError` included: a model that keeps failing rests a while and calls to it fail at once.
 */
export abstract class LlmClient {
  abstract readonly available: boolean;
  abstract readonly usage: LlmUsageMeter;
  /**
   * Why a call to `model` (the configured chat model when unset) would now fail at once without being made
   * (it keeps failing and rests), or undefined.
   */
  abstract restingReason(model?: string): string | undefined;
  abstract complete(request: LlmCompletionRequest): Promise<LlmCompletion>;
  abstract embed(texts: string[]): Promise<number[][]>;
}
