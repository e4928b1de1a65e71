import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { completeStructured } from '../journeys/build-stats';
import { LlmClient } from '../llm/llm.client';
import { CopyCacheRepository } from './copy-cache.repository';
import { CopyBudget } from './domain/copy-budget';
import { copyCacheKey, copySignature } from './domain/copy-key';
import { buildCopyPrompt } from './domain/copy-prompt';
import { CopyRequest, GeneratedCopy } from './domain/copy-types';
import { validateCopyReply } from './domain/copy-validation';

/** LLM copy, or why template copy is used instead; either way the prompt version and model are recorded. */
export type LlmCopyOutcome = { promptVersion: string; model: string; signature: string } & (
  { source: 'llm'; copy: GeneratedCopy; cacheHit: boolean } | { source: 'template'; fallbackReason: string }
);

type Shared = { copy: GeneratedCopy; cacheHit: boolean } | { fallbackReason: string };

const HOUR_MS = 3_600_000;

/**
 * Writes journey copy with the LLM: cached per key in MongoDB and shared in flight, so users with the
 * same journey share one call; every reply is validated, and any failure falls back to template copy.
 */
@Injectable()
export class LlmCopyService {
  private readonly logger = new Logger(LlmCopyService.name);
  private readonly inFlight = new Map<string, Promise<Shared>>();
  private readonly model: string;
  private readonly rejectionTtlMs: number;

  constructor(
    private readonly llm: LlmClient,
    private readonly cache: CopyCacheRepository,
    config: ConfigService<Settings, true>,
  ) {
    this.model = config.get('llm', { infer: true }).model;
    this.rejectionTtlMs = config.get('personalization', { infer: true }).rejectionTtlHours * HOUR_MS;
  }

  async generate(request: CopyRequest, budget: CopyBudget): Promise<LlmCopyOutcome> {
    const base = { promptVersion: request.promptVersion, model: this.model, signature: copySignature(request.subject) };
    if (!this.llm.available) return { ...base, source: 'template', fallbackReason: 'no LLM is configured' };
    const key = copyCacheKey(request, this.model);
    let pending = this.inFlight.get(key);
    const joined = pending !== undefined;
    if (!pending) {
      // The in-flight entry covers the cache read too, so a user arriving just after a call finds its result.
      pending = this.cachedOrAsk(key, request, budget).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const shared = await pending;
    if ('fallbackReason' in shared) return { ...base, source: 'template', fallbackReason: shared.fallbackReason };
    return { ...base, source: 'llm', copy: shared.copy, cacheHit: joined || shared.cacheHit };
  }

  // Cache entries live in wall-clock time (the TTL sweep does), whatever instant a message is composed for.
  private async cachedOrAsk(key: string, request: CopyRequest, budget: CopyBudget): Promise<Shared> {
    const cached = await this.cache.findByKey(key, new Date());
    if (cached?.copy) return { copy: cached.copy, cacheHit: true };
    if (cached?.rejected) return { fallbackReason: `LLM copy rejected: ${cached.rejected}` };
    if (!(await budget.tryStartCall())) return { fallbackReason: 'LLM budget of this run is spent' };
    const prompt = buildCopyPrompt(request);
    const tokens = { promptTokens: 0, completionTokens: 0 };
    const record = {
      key,
      signature: copySignature(request.subject),
      channel: request.channel,
      locale: request.locale,
      promptVersion: request.promptVersion,
      model: this.model,
      createdAt: new Date(),
    };
    let reply;
    try {
      reply = await completeStructured(this.llm, 'copy', prompt, prompt.maxTokens, tokens);
    } catch (error) {
      // Transient (timeouts, 5xx): not cached, a later user or run asks again.
      this.logger.warn(`copy call failed for signature ${record.signature}: ${(error as Error).message}`);
      return { fallbackReason: `LLM call failed: ${(error as Error).message}` };
    } finally {
      await budget.recordTokens(tokens.promptTokens + tokens.completionTokens);
    }
    const verdict = validateCopyReply(reply.text, request);
    if (!verdict.ok) {
      this.logger.warn(`copy rejected for signature ${record.signature}: ${verdict.reason}`);
      await this.cache.store({
        ...record,
        rejected: verdict.reason,
        expiresAt: new Date(Date.now() + this.rejectionTtlMs),
      });
      return { fallbackReason: `LLM copy rejected: ${verdict.reason}` };
    }
    await this.cache.store({ ...record, copy: verdict.copy });
    return { copy: verdict.copy, cacheHit: false };
  }
}
