import { Logger } from '@nestjs/common';
import OpenAI from 'openai';
import { BreakerState, CircuitBreaker, CircuitRestingError } from '../../lib/concurrency/circuit-breaker';
import { Semaphore } from '../../lib/concurrency/semaphore';
import { toStrictSchema } from '../../lib/prompt/strict-schema';
import { LlmClient } from './llm.client';
import { LlmUsageMeter, LlmUsageObserver } from './llm-usage';
import {
  LlmCompletion,
  LlmCompletionRequest,
  LlmRefusalError,
  LlmRestingError,
  LlmSettings,
  LlmUnavailableError,
} from './llm.types';

/** Told when a model starts resting (`open`), lets a trial call through (`half-open`) or answers again (`closed`). */
export type LlmBreakerObserver = (model: string, state: BreakerState) => void;

export interface LlmClientHooks {
  usage?: LlmUsageObserver;
  breaker?: LlmBreakerObserver;
  /** The clock of rests (milliseconds since the epoch). */
  now?: () => number;
}

/** A refusal is the model's answer to one prompt: the endpoint works. */
const countsAsFailure = (error: unknown) => !(error instanceof LlmRefusalError);

/** The longest wait the endpoint may ask for (`Retry-After`) that a call waits out before its SDK retry. */
const LONGEST_WAIT_IN_CALL_MS = 60_000;

/** The wait an answer's headers ask for, read as the SDK reads them (`retry-after-ms` first), or undefined. */
function askedWaitMs(headers: Headers): number | undefined {
  const ms = parseFloat(headers.get('retry-after-ms') ?? '');
  if (!Number.isNaN(ms) && ms) return ms;
  const retryAfter = headers.get('retry-after');
  if (!retryAfter) return undefined;
  const seconds = parseFloat(retryAfter);
  const wait = Number.isNaN(seconds) ? Date.parse(retryAfter) - Date.now() : seconds * 1000;
  return Number.isNaN(wait) ? undefined : wait;
}

/** The rest a failed call's answer asked for when it is longer than a call waits, or undefined. */
function longRestAsked(error: unknown): number | undefined {
  if (!(error instanceof OpenAI.APIError) || !error.headers) return undefined;
  const wait = askedWaitMs(error.headers);
  return wait !== undefined && wait > LONGEST_WAIT_IN_CALL_MS ? wait : undefined;
}

/**
 * `fetch` for the SDK, which otherwise sleeps through any `Retry-After` before its retry, an hour included,
 * holding a call slot: an answer asking for a longer wait than a call makes is marked not to be retried, so
 * the call fails at once and its model rests instead.
 */
async function fetchNoLongRetry(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (response.ok || (askedWaitMs(response.headers) ?? 0) <= LONGEST_WAIT_IN_CALL_MS) return response;
  const headers = new Headers(response.headers);
  headers.set('x-should-retry', 'false');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The only file that imports the openai SDK: any OpenAI-compatible endpoint (OpenAI, Azure, Ollama, vLLM). */
export class OpenAiLlmClient extends LlmClient {
  readonly usage: LlmUsageMeter;
  private readonly logger = new Logger(OpenAiLlmClient.name);
  private readonly sdk?: OpenAI;
  private readonly gate: Semaphore;
  /** One per model of the endpoint, so a judge model that fails does not silence naming, nor the reverse. */
  private readonly breakers = new Map<string, CircuitBreaker>();
  /** Models that refused a sampling temperature: called with their default. */
  private readonly noTemperature = new Set<string>();
  /** Why a model rests, while it rests because the endpoint asked for it. */
  private readonly askedRests = new Map<string, string>();

  constructor(
    private readonly settings: LlmSettings,
    private readonly hooks: LlmClientHooks = {},
  ) {
    super();
    this.usage = new LlmUsageMeter(hooks.usage);
    this.gate = new Semaphore(settings.concurrency);
    if (settings.apiKey) {
      this.sdk = new OpenAI({
        apiKey: settings.apiKey,
        baseURL: settings.baseUrl,
        timeout: settings.timeoutMs,
        maxRetries: settings.maxRetries,
        fetch: fetchNoLongRetry,
      });
    }
  }

  get available(): boolean {
    return this.sdk !== undefined;
  }

  restingReason(model = this.settings.model): string | undefined {
    return this.breakers.get(model)?.resting ? this.restingError(model).message : undefined;
  }

  async complete(request: LlmCompletionRequest): Promise<LlmCompletion> {
    const sdk = this.requireSdk();
    const model = request.model ?? this.settings.model;
    const response = await this.call(request.purpose, model, () =>
      this.withoutRefusedTemperature(model, (temperature) =>
        sdk.chat.completions.create({
          model,
          messages: request.messages,
          max_completion_tokens: request.maxTokens,
          ...(temperature && { temperature: request.temperature ?? 0 }),
          ...(request.jsonSchema && {
            response_format: {
              type: 'json_schema' as const,
              json_schema: {
                name: request.jsonSchema.name,
                // Bounds as words: strict mode refuses the whole request for a keyword outside its subset.
                schema: toStrictSchema(request.jsonSchema.schema),
                strict: true,
              },
            },
          }),
        }),
      ).then((response) => {
        const message = response.choices[0]?.message;
        if (typeof message?.content !== 'string' && typeof message?.refusal === 'string') {
          const { prompt_tokens = 0, completion_tokens = 0 } = response.usage ?? {};
          throw new LlmRefusalError(message.refusal, prompt_tokens, completion_tokens);
        }
        if (typeof message?.content !== 'string') throw new Error('the model returned no message content');
        return { response, text: message.content, finishReason: response.choices[0].finish_reason };
      }),
    );
    const promptTokens = response.response.usage?.prompt_tokens ?? 0;
    const completionTokens = response.response.usage?.completion_tokens ?? 0;
    this.usage.recordSuccess(request.purpose, promptTokens, completionTokens);
    return {
      text: response.text,
      model: response.response.model || model,
      finishReason: response.finishReason,
      promptTokens,
      completionTokens,
    };
  }

  async embed(texts: string[]): Promise<number[][]> {
    const sdk = this.requireSdk();
    const response = await this.call('embedding', this.settings.embeddingModel, () =>
      sdk.embeddings.create({ model: this.settings.embeddingModel, input: texts }).then((response) => {
        if (response.data.length !== texts.length) {
          throw new Error(`expected ${texts.length} embeddings, got ${response.data.length}`);
        }
        return response;
      }),
    );
    this.usage.recordSuccess('embedding', response.usage?.prompt_tokens ?? 0, 0);
    return [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
  }

  /**
   * Sends a chat request with a sampling temperature unless the model refused one: reasoning models (OpenAI's
   * o-series and gpt-5 family) take only their default and answer any other with a 400 naming `temperature`.
   * That refusal is said once, and the request sent again at once without it, as every later one to the model.
   */
  private async withoutRefusedTemperature<T>(model: string, send: (temperature: boolean) => Promise<T>): Promise<T> {
    if (this.noTemperature.has(model)) return send(false);
    try {
      return await send(true);
    } catch (error) {
      if (!(error instanceof OpenAI.BadRequestError) || error.param !== 'temperature') throw error;
      this.noTemperature.add(model);
      this.logger.warn(`LLM model ${model} takes no temperature (${error.message}): it is called without one`);
      return send(false);
    }
  }

  /**
   * Makes one call through the concurrency gate and the model's breaker: a model that rests fails at once
   * (an `LlmRestingError`) without waiting for a slot, and the breaker is asked again once one is free.
   */
  private async call<T>(purpose: string, model: string, request: () => Promise<T>): Promise<T> {
    const breaker = this.breakerOf(model);
    try {
      if (breaker.resting) throw new CircuitRestingError(this.settings.restAfterFailures);
      const asking = () =>
        request().catch((error: unknown) => {
          const wait = longRestAsked(error);
          if (wait !== undefined) breaker.restFor(wait, error);
          throw error;
        });
      return await this.gate.run(() => breaker.run(asking, countsAsFailure));
    } catch (error) {
      if (error instanceof CircuitRestingError) {
        this.usage.recordRested(purpose);
        throw this.restingError(model);
      }
      if (error instanceof LlmRefusalError) {
        this.usage.recordFailure(purpose, error.promptTokens, error.completionTokens);
      } else this.usage.recordFailure(purpose);
      throw error;
    }
  }

  private breakerOf(model: string): CircuitBreaker {
    let breaker = this.breakers.get(model);
    if (!breaker) {
      breaker = new CircuitBreaker({
        failuresBeforeRest: this.settings.restAfterFailures,
        restMs: this.settings.restMs,
        now: this.hooks.now ?? Date.now,
        onChange: (state, previous, cause) => this.changed(model, state, previous, cause),
      });
      this.breakers.set(model, breaker);
    }
    return breaker;
  }

  /** One log line when a model starts resting and one when it answers again, however many calls rest between. */
  private changed(model: string, state: BreakerState, previous: BreakerState, cause: unknown): void {
    this.hooks.breaker?.(model, state);
    const asked = state === 'open' ? longRestAsked(cause) : undefined;
    if (state !== 'half-open') this.askedRests.delete(model);
    if (asked !== undefined) {
      const status = (cause as InstanceType<typeof OpenAI.APIError>).status;
      const reason = `${model} asked for no calls for ${Math.ceil(asked / 1000)} s (HTTP ${status} with Retry-After)`;
      this.askedRests.set(model, reason);
      this.logger.warn(`LLM model ${reason}: no calls to it until then, then one trial call`);
    } else if (state === 'open' && previous === 'closed') {
      this.logger.warn(
        `LLM model ${model} failed ${this.settings.restAfterFailures} calls in a row (last: ${(cause as Error).message}): ` +
          `no calls to it for ${this.settings.restMs / 1000} s, then one trial call`,
      );
    } else if (state === 'open') {
      this.logger.debug(`LLM model ${model} failed its trial call: it rests again`);
    } else if (state === 'closed') {
      this.logger.log(`LLM model ${model} answers again: calls to it resume`);
    }
  }

  private restingError(model: string): LlmRestingError {
    const asked = this.askedRests.get(model);
    return new LlmRestingError(
      model,
      this.settings.restAfterFailures,
      asked && `${asked}: calls to it rest until then`,
    );
  }

  private requireSdk(): OpenAI {
    if (!this.sdk) throw new LlmUnavailableError();
    return this.sdk;
  }
}
