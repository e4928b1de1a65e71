import { Inject, Injectable, Logger } from '@nestjs/common';
import { LlmClient } from '../llm/llm.client';
import { LlmRestingError } from '../llm/llm.types';
import { Journey } from './domain/journey';
import {
  buildNamingPrompt,
  NAMING_PROMPT_VERSION,
  NamingRules,
  namingSignature,
  parseNamingReply,
} from './domain/llm-naming';
import { BuildStats, completeStructured } from './build-stats';
import { JOURNEY_POLICY, JourneyPolicy } from './journey-policy';
import { JourneyNameRepository } from './journey-name.repository';
import { NamedBy } from './stored-journey';

/** Keyword weights are relative to the journey's top keyword (1). */
const STRONG_KEYWORD_SHARE = 0.5;

export interface JourneyName {
  name: string;
  namedBy: NamedBy;
}

/**
 * Names journeys with the LLM when one is configured: cached by naming signature in MongoDB, with
 * concurrent requests for one signature sharing a single call, and the keyword name on any failure.
 */
@Injectable()
export class JourneyNamingService {
  private readonly logger = new Logger(JourneyNamingService.name);
  private readonly inFlight = new Map<string, Promise<{ name?: string; cached: boolean }>>();

  constructor(
    private readonly llm: LlmClient,
    private readonly names: JourneyNameRepository,
    @Inject(JOURNEY_POLICY) private readonly policy: JourneyPolicy,
  ) {}

  /** Names `userId`'s journeys; a name this stores is erased with that user. */
  async nameAll(
    journeys: readonly Journey[],
    locale: string,
    stats: BuildStats,
    userId: string,
  ): Promise<JourneyName[]> {
    return Promise.all(journeys.map((j) => this.nameOne(j, locale, stats, userId)));
  }

  private async nameOne(journey: Journey, locale: string, stats: BuildStats, userId: string): Promise<JourneyName> {
    const keywordName = { name: journey.name, namedBy: 'keyword' as const };
    if (!this.llm.available) return keywordName;
    const signature = namingSignature({ keywords: journey.keywords }, locale, {
      ...this.policy.naming,
      groundingKeywords: this.policy.signatureKeywords,
    });
    // The in-flight entry covers the cache read too, so a user arriving just after a call finished finds its result.
    let pending = this.inFlight.get(signature);
    const shared = pending !== undefined;
    if (!pending) {
      pending = this.cachedOrAsk(journey, locale, signature, stats, userId).finally(() =>
        this.inFlight.delete(signature),
      );
      this.inFlight.set(signature, pending);
    }
    const result = await pending;
    let name = result.name;
    if (name !== undefined && (shared || result.cached)) {
      // A name shared by signature was validated for another user's cluster: it must also fit this one.
      if (this.fits(name, journey)) stats.namingCacheHits += 1;
      else name = await this.ask(journey, locale, signature, stats, undefined);
    }
    if (name === undefined) {
      stats.namingFallbacks += 1;
      return keywordName;
    }
    return { name, namedBy: 'llm' };
  }

  private async cachedOrAsk(
    journey: Journey,
    locale: string,
    signature: string,
    stats: BuildStats,
    userId: string,
  ): Promise<{ name?: string; cached: boolean }> {
    const cached = await this.names.findBySignature(signature);
    if (cached) return { name: cached.name, cached: true };
    return { name: await this.ask(journey, locale, signature, stats, userId), cached: false };
  }

  private fits(name: string, journey: Journey): boolean {
    return parseNamingReply(JSON.stringify({ name }), { keywords: journey.keywords }, this.groundingRules(journey)).ok;
  }

  /**
   * Validation counts as well supported only keywords with at least half the top weight (at most the
   * policy's count): a phrase the user typed a couple of times, such as an injected instruction, stays
   * in the weak tail even when the journey has few keywords, so a name built from it is rejected.
   */
  private groundingRules(journey: Journey): NamingRules {
    const strong = journey.keywords.filter((k) => k.weight >= STRONG_KEYWORD_SHARE).length;
    return {
      ...this.policy.naming,
      groundingKeywords: Math.max(1, Math.min(this.policy.naming.groundingKeywords, strong)),
    };
  }

  /**
   * One LLM call; undefined (keyword fallback) on errors, timeouts and replies that fail validation. The name
   * is stored for the signature when `storeFor` (the user it is stored for) is given.
   */
  private async ask(
    journey: Journey,
    locale: string,
    signature: string,
    stats: BuildStats,
    storeFor: string | undefined,
  ): Promise<string | undefined> {
    const cluster = { keywords: journey.keywords };
    const prompt = buildNamingPrompt(cluster, locale, this.policy.naming);
    stats.namingCalls += 1;
    try {
      const reply = await completeStructured(this.llm, 'journey-naming', prompt, prompt.maxTokens, stats);
      const parsed = parseNamingReply(reply.text, cluster, this.groundingRules(journey));
      if (!parsed.ok) {
        this.logger.warn(`naming reply rejected for "${journey.name}": ${parsed.reason}`);
        return undefined;
      }
      if (storeFor !== undefined) {
        await this.names.insertOnce({
          signature,
          name: parsed.text,
          locale,
          model: reply.model,
          promptVersion: NAMING_PROMPT_VERSION,
          createdAt: new Date(),
          userId: storeFor,
        });
      }
      return parsed.text;
    } catch (error) {
      // A resting model was not called: it logged its rest once, and the call costs nothing.
      if (error instanceof LlmRestingError) stats.namingCalls -= 1;
      else this.logger.warn(`naming call failed for "${journey.name}": ${(error as Error).message}`);
      return undefined;
    }
  }
}
