import OpenAI from 'openai';
import { Semaphore } from '../../lib/concurrency/semaphore';
import { LlmClient } from './llm.client';
import { LlmUsageMeter, LlmUsageObserver } from './llm-usage';
import { LlmCompletion, LlmCompletionRequest, LlmRefusalError, LlmSettings, LlmUnavailableError } from './llm.types';

/** The only file that imports the openai SDK: any OpenAI-compatible endpoint (OpenAI, Azure, Ollama, vLLM). */
export class OpenAiLlmClient extends LlmClient {
  readonly usage: LlmUsageMeter;
  private readonly sdk?: OpenAI;
  private readonly gate: Semaphore;

  constructor(
    private readonly settings: LlmSettings,
    observer?: LlmUsageObserver,
  ) {
    super();
    this.usage = new LlmUsageMeter(observer);
    this.gate = new Semaphore(settings.concurrency);
    if (settings.apiKey) {
      this.sdk = new OpenAI({
        apiKey: settings.apiKey,
        baseURL: settings.baseUrl,
        timeout: settings.timeoutMs,
        maxRetries: settings.maxRetries,
      });
    }
  }

  get available(): boolean {
    return this.sdk !== undefined;
  }

  async complete(request: LlmCompletionRequest): Promise<LlmCompletion> {
    const sdk = this.requireSdk();
    try {
      const response = await this.gate.run(() =>
        sdk.chat.completions.create({
          model: request.model ?? this.settings.model,
          messages: request.messages,
          max_completion_tokens: request.maxTokens,
          temperature: request.temperature ?? 0,
          ...(request.jsonSchema && {
            response_format: {
              type: 'json_schema' as const,
              json_schema: { name: request.jsonSchema.name, schema: request.jsonSchema.schema, strict: true },
            },
          }),
        }),
      );
      const message = response.choices[0]?.message;
      const text = message?.content;
      if (typeof text !== 'string' && typeof message?.refusal === 'string') throw new LlmRefusalError(message.refusal);
      if (typeof text !== 'string') throw new Error('the model returned no message content');
      const promptTokens = response.usage?.prompt_tokens ?? 0;
      const completionTokens = response.usage?.completion_tokens ?? 0;
      this.usage.recordSuccess(request.purpose, promptTokens, completionTokens);
      return { text, model: response.model || request.model || this.settings.model, promptTokens, completionTokens };
    } catch (error) {
      this.usage.recordFailure(request.purpose);
      throw error;
    }
  }

  async embed(texts: string[]): Promise<number[][]> {
    const sdk = this.requireSdk();
    try {
      const response = await this.gate.run(() =>
        sdk.embeddings.create({ model: this.settings.embeddingModel, input: texts }),
      );
      if (response.data.length !== texts.length) {
        throw new Error(`expected ${texts.length} embeddings, got ${response.data.length}`);
      }
      this.usage.recordSuccess('embedding', response.usage?.prompt_tokens ?? 0, 0);
      return [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    } catch (error) {
      this.usage.recordFailure('embedding');
      throw error;
    }
  }

  private requireSdk(): OpenAI {
    if (!this.sdk) throw new LlmUnavailableError();
    return this.sdk;
  }
}
