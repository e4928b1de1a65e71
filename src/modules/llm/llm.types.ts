/** Settings of the LLM client; every field comes from validated configuration. */
export interface LlmSettings {
  /** Unset means no LLM: callers fall back to templates and the keyword namer. */
  apiKey?: string;
  baseUrl: string;
  model: string;
  embeddingModel: string;
  timeoutMs: number;
  maxRetries: number;
  concurrency: number;
  /** Failed calls in a row to one model after which the client rests that model for `restMs`. */
  restAfterFailures: number;
  restMs: number;
}

export interface LlmMessage {
  role: 'system' | 'user';
  content: string;
}

export interface LlmCompletionRequest {
  /** What the call is for (`journey-naming`, `journey-expansion`, `copy`): the key of usage accounting. */
  purpose: string;
  /** A chat model other than the configured one, on the same endpoint (the journey judge's own model). */
  model?: string;
  messages: LlmMessage[];
  /** When set, the model is asked for JSON that follows this schema (structured output). */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  maxTokens?: number;
  temperature?: number;
}

export interface LlmCompletion {
  text: string;
  model: string;
  /** Why the model stopped, as the endpoint says: `stop`, or `length` when `maxTokens` cut the text off. */
  finishReason?: string;
  promptTokens: number;
  completionTokens: number;
}

export interface LlmUsageTotals {
  calls: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
}

export class LlmUnavailableError extends Error {
  constructor() {
    super('no LLM is configured (OPENAI_API_KEY is unset)');
    this.name = 'LlmUnavailableError';
  }
}

/**
 * The model declined to answer (the API's `refusal`): a verdict on the prompt, not a transient failure.
 * It is an answer the endpoint charges for: its tokens count like a reply's.
 */
export class LlmRefusalError extends Error {
  constructor(
    readonly refusal: string,
    readonly promptTokens = 0,
    readonly completionTokens = 0,
  ) {
    super(`the model refused: ${refusal}`);
    this.name = 'LlmRefusalError';
  }
}

/**
 * No call was made: the model failed `failures` calls in a row, or the endpoint asked for no calls for a
 * while, and it rests. A failed call like any other; its message is the same for every call while the rest lasts.
 */
export class LlmRestingError extends Error {
  constructor(
    readonly model: string,
    readonly failures: number,
    /** Why, when the rest is not one of failures in a row (the endpoint asked for it). */
    reason = `calls to ${model} rest after ${failures} failures in a row`,
  ) {
    super(reason);
    this.name = 'LlmRestingError';
  }
}
