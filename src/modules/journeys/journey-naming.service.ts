import { Inject, Injectable, Logger } from '@nestjs/common';
import { LlmClient } from '../llm/llm.client';
import { Journey } from './domain/journey';
import { buildNamingPrompt, NAMING_PROMPT_VERSION, NamingRules, namingSignature, parseNamingReply } from './domain/llm-naming';
import { BuildStats } from './build-stats';
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
  private readonly inFlight = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly llm: LlmClient,
    private readonly names: JourneyNameRepository,
    @Inject(JOURNEY_POLICY) private readonly policy: JourneyPolicy,
  ) {}

  async nameAll(journeys: readonly Journey[], locale: string, stats: BuildStats): Promise<JourneyName[]> {
    return Promise.all(journeys.map((j) => this.nameOne(j, locale, stats)));
  }

  private async nameOne(journey: Journey, locale: string, stats: BuildStats): Promise<JourneyName> {
    const keywordName = { name: journey.name, namedBy: 'keyword' as const };
    if (!this.llm.available) return keywordName;
    const signature = namingSignature({ keywords: journey.keywords }, locale, this.policy.naming);
    // The in-flight entry covers the cache read too, so a user arriving just after a call finished finds its result.
    let pending = this.inFlight.get(signature);
    if (pending) stats.namingCacheHits += 1;
    else {
      pending = this.cachedOrAsk(journey, locale, signature, stats).finally(() => this.inFlight.delete(signature));
      this.inFlight.set(signature, pending);
    }
    const name = await pending;
    if (name === undefined) {
      stats.namingFallbacks += 1;
      return keywordName;
    }
    return { name, namedBy: 'llm' };
  }

  private async cachedOrAsk(journey: Journey, locale: string, signature: string, stats: BuildStats): Promise<string | undefined> {
    const cached = await this.names.findBySignature(signature);
    if (cached) {
      stats.namingCacheHits += 1;
      return cached.name;
    }
    return this.ask(journey, locale, signature, stats);
  }

  /**
   * Validation counts as well supported only keywords with at least half the top weight (at most the
   * policy's count): a phrase the user typed a couple of times, such as an injected instruction, stays
   * in the weak tail even when the journey has few keywords, so a name built from it is rejected.
   */
  private groundingRules(journey: Journey): NamingRules {
    const strong = journey.keywords.filter((k) => k.weight >= STRONG_KEYWORD_SHARE).length;
    return { ...this.policy.naming, groundingKeywords: Math.max(1, Math.min(this.policy.naming.groundingKeywords, strong)) };
  }

  /** One LLM call; undefined (keyword fallback) on errors, timeouts and replies that fail validation. */
  private async ask(journey: Journey, locale: string, signature: string, stats: BuildStats): Promise<string | undefined> {
    const cluster = { keywords: journey.keywords };
    const prompt = buildNamingPrompt(cluster, locale, this.policy.naming);
    stats.namingCalls += 1;
    try {
      const reply = await this.llm.complete({
        purpose: 'journey-naming',
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        jsonSchema: prompt.schema,
        maxTokens: 60,
      });
      stats.promptTokens += reply.promptTokens;
      stats.completionTokens += reply.completionTokens;
      const parsed = parseNamingReply(reply.text, cluster, this.groundingRules(journey));
      if (!parsed.ok) {
        this.logger.warn(`naming reply rejected for "${journey.name}": ${parsed.reason}`);
        return undefined;
      }
      await this.names.insertOnce({ signature, name: parsed.text, locale, model: reply.model, promptVersion: NAMING_PROMPT_VERSION, createdAt: new Date() });
      return parsed.text;
    } catch (error) {
      this.logger.warn(`naming call failed for "${journey.name}": ${(error as Error).message}`);
      return undefined;
    }
  }
}
