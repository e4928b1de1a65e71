import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { completeStructured } from '../journeys/build-stats';
import { LlmClient } from '../llm/llm.client';
import { LlmRefusalError, LlmRestingError } from '../llm/llm.types';
import { CopyCacheRepository } from './copy-cache.repository';
import { CopyCacheRecord } from './copy-cache.schema';
import { CopyBudget } from './domain/copy-budget';
import { copyCacheKey, copySignature } from './domain/copy-key';
import { buildCopyPrompt } from './domain/copy-prompt';
import { CopyRequest, GeneratedCopy } from './domain/copy-types';
import { CopyVerdict, validateCopyReply } from './domain/copy-validation';

/** LLM copy, or why template copy is used instead; either way the prompt version and model are recorded. */
export type LlmCopyOutcome = { promptVersion: string; model: string; signature: string } & (
  { source: 'llm'; copy: GeneratedCopy; cacheHit: boolean } | { source: 'template'; fallbackReason: string }
);

/** `budgetSpent`: the budget of the run that asked was spent, which says nothing of another run's. */
type Shared = { copy: GeneratedCopy; cacheHit: boolean } | { fallbackReason: string; budgetSpent?: true };

const HOUR_MS = 3_600_000;
/** Cached entries a process remembers as checked; past it, it forgets them all and checks them again. */
const CHECKED_COPY_KEPT = 10_000;

/**
 * Writes journey copy with the LLM: cached per key in MongoDB and shared in flight, so users with the
 * same journey share one call; every reply is validated, and any failure falls back to template copy.
 */
@Injectable()
export class LlmCopyService {
  private readonly logger = new Logger(LlmCopyService.name);
  /** Calls in flight by key, with the budget of the run that asked. */
  private readonly inFlight = new Map<string, { pending: Promise<Shared>; budget: CopyBudget }>();
  private readonly model: string;
  private readonly rejectionTtlMs: number;
  /** How long a process leaves a key whose call failed without calls (a model failing for every key rests in the client). */
  private readonly failedKeyRestMs: number;
  /** Keys whose last call failed (timeout, 429, 5xx), with the failure and when they may be asked again. */
  private readonly failedKeys = new Map<string, { reason: string; until: number }>();
  /** Cached copy, as JSON by key, that passed today's checks in this process. */
  private readonly checkedCopy = new Map<string, string>();

  constructor(
    private readonly llm: LlmClient,
    private readonly cache: CopyCacheRepository,
    config: ConfigService<Settings, true>,
  ) {
    const settings = config.get('llm', { infer: true });
    this.model = settings.model;
    this.failedKeyRestMs = settings.restMs;
    this.rejectionTtlMs = config.get('personalization', { infer: true }).rejectionTtlHours * HOUR_MS;
  }

  /** `userId`: whose journey or interest the copy is about; an entry this call stores is erased with them. */
  async generate(request: CopyRequest, budget: CopyBudget, userId: string): Promise<LlmCopyOutcome> {
    const base = { promptVersion: request.promptVersion, model: this.model, signature: copySignature(request.subject) };
    if (!this.llm.available) return { ...base, source: 'template', fallbackReason: 'no LLM is configured' };
    const { shared, joined } = await this.shared(copyCacheKey(request, this.model), request, budget, userId);
    if ('fallbackReason' in shared) return { ...base, source: 'template', fallbackReason: shared.fallbackReason };
    return { ...base, source: 'llm', copy: shared.copy, cacheHit: joined || shared.cacheHit };
  }

  /**
   * The outcome for `key`, shared with a call in flight for it, whichever run asked: a joined call costs this
   * run nothing, as cached copy does. A run whose budget was spent asks nothing for another run, which asks
   * again on its own budget.
   */
  private async shared(
    key: string,
    request: CopyRequest,
    budget: CopyBudget,
    userId: string,
  ): Promise<{ shared: Shared; joined: boolean }> {
    for (;;) {
      const running = this.inFlight.get(key);
      if (!running) {
        // The in-flight entry covers the cache read too, so a user arriving just after a call finds its result.
        const pending = this.cachedOrAsk(key, request, budget, userId).finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, { pending, budget });
        return { shared: await pending, joined: false };
      }
      const shared = await running.pending;
      if (!('budgetSpent' in shared) || running.budget === budget) return { shared, joined: true };
    }
  }

  // Cache entries live in wall-clock time (the TTL sweep does), whatever instant a message is composed for.
  private async cachedOrAsk(key: string, request: CopyRequest, budget: CopyBudget, userId: string): Promise<Shared> {
    const cached = await this.cache.findByKey(key, new Date());
    if (cached?.copy) {
      const rejected = this.recheck(key, cached.copy, request);
      return rejected ? { fallbackReason: `LLM copy rejected: ${rejected}` } : { copy: cached.copy, cacheHit: true };
    }
    if (cached?.rejected) return { fallbackReason: `LLM copy rejected: ${cached.rejected}` };
    const resting = this.resting(key);
    if (resting) return { fallbackReason: resting };
    if (!(await budget.tryStartCall())) return { fallbackReason: 'LLM budget of this run is spent', budgetSpent: true };
    const prompt = buildCopyPrompt(request);
    const tokens = { promptTokens: 0, completionTokens: 0 };
    const record = {
      key,
      signature: copySignature(request.subject),
      channel: request.channel,
      locale: request.locale,
      promptVersion: request.promptVersion,
      model: this.model,
      userId,
      createdAt: new Date(),
    };
    let reply;
    try {
      reply = await completeStructured(this.llm, 'copy', prompt, prompt.maxTokens, tokens);
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof LlmRefusalError) {
        tokens.promptTokens += error.promptTokens;
        tokens.completionTokens += error.completionTokens;
        // A refusal is the model's answer to this prompt: remembered like a rejected reply.
        this.logger.warn(`copy refused for signature ${record.signature}: ${error.refusal}`);
        await this.reject(record, message);
        return { fallbackReason: `LLM copy rejected: ${message}` };
      }
      // The model rests after failures of any caller: no call was made, and the key did not fail. The rest
      // may have started since the budget was asked: the call it reserved is given back.
      if (error instanceof LlmRestingError) {
        await budget.releaseCall();
        return { fallbackReason: `LLM call failed: ${message}` };
      }
      // Transient (timeouts, 429, 5xx): not cached, but rested, so users after it do not hammer the endpoint.
      this.logger.warn(`copy call failed for signature ${record.signature}: ${message}`);
      this.recordFailure(key, message);
      return { fallbackReason: `LLM call failed: ${message}` };
    } finally {
      await budget.recordTokens(tokens.promptTokens + tokens.completionTokens);
    }
    // Cut off, the reply is at best part of the copy, and at worst reads as malformed JSON, which it is not.
    const verdict: CopyVerdict =
      reply.finishReason === 'length'
        ? { ok: false, reason: `reply cut off at its limit of ${prompt.maxTokens} tokens` }
        : validateCopyReply(reply.text, request);
    if (!verdict.ok) {
      this.logger.warn(`copy rejected for signature ${record.signature}: ${verdict.reason}`);
      await this.reject(record, verdict.reason);
      return { fallbackReason: `LLM copy rejected: ${verdict.reason}` };
    }
    await this.cache.store({ ...record, copy: verdict.copy });
    return { copy: verdict.copy, cacheHit: false };
  }

  /**
   * Why cached copy fails today's checks, or undefined: copy a release stored before one of them existed
   * stops going out with it. The verdict depends on nothing the key does not cover, so a process checks
   * each entry once, not once per user.
   */
  private recheck(key: string, copy: GeneratedCopy, request: CopyRequest): string | undefined {
    const text = JSON.stringify(copy);
    if (this.checkedCopy.get(key) === text) return undefined;
    const verdict = validateCopyReply(text, request);
    if (!verdict.ok) return verdict.reason;
    if (this.checkedCopy.size >= CHECKED_COPY_KEPT) this.checkedCopy.clear();
    this.checkedCopy.set(key, text);
    return undefined;
  }

  private reject(record: Omit<CopyCacheRecord, 'rejected' | 'expiresAt'>, reason: string): Promise<void> {
    return this.cache.store({ ...record, rejected: reason, expiresAt: new Date(Date.now() + this.rejectionTtlMs) });
  }

  /** Why no call is made for `key` now: the model rests after failures in a row, or this key's call failed moments ago. */
  private resting(key: string): string | undefined {
    const modelRest = this.llm.restingReason();
    if (modelRest) return `LLM call failed: ${modelRest}`;
    const failed = this.failedKeys.get(key);
    if (failed && failed.until > Date.now()) return `LLM call failed moments ago: ${failed.reason}`;
    return undefined;
  }

  private recordFailure(key: string, reason: string): void {
    const now = Date.now();
    for (const [k, failed] of this.failedKeys) if (failed.until <= now) this.failedKeys.delete(k);
    this.failedKeys.set(key, { reason, until: now + this.failedKeyRestMs });
  }
}
