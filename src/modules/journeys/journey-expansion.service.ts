import { Inject, Injectable, Logger } from '@nestjs/common';
import { LlmClient } from '../llm/llm.client';
import { LlmRestingError } from '../llm/llm.types';
import { assessJourneySafety } from './domain/journey-safety';
import {
  buildExpansionPrompt,
  EXPANSION_PROMPT_VERSION,
  expansionKey,
  parseExpansionReply,
} from './domain/journey-expansion';
import { BuildStats, completeStructured } from './build-stats';
import { neighbourhoodExpansions, VocabularyEmbedder } from './expansion-neighbourhood';
import { JourneyExpansionRecord } from './journey-expansion.schema';
import { JourneyExpansionRepository } from './journey-expansion.repository';
import { JOURNEY_POLICY, JourneyPolicy } from './journey-policy';
import { StoredJourney } from './stored-journey';

export const NEIGHBOURHOOD_VERSION = 'neighbourhood-v1';
/** Names remembered as having an empty neighbourhood; past this many the memory starts over. */
const MAX_REMEMBERED_EMPTY = 100_000;

/**
 * Related journeys per journey name and locale, generated once and stored: by the LLM when one is
 * configured, else from the platform embedder's neighbourhood. Never mixed into a journey's own keywords.
 */
@Injectable()
export class JourneyExpansionService {
  private readonly logger = new Logger(JourneyExpansionService.name);
  private readonly inFlight = new Map<string, Promise<void>>();
  /**
   * Names whose neighbourhood came out empty under an embedder version. Empty neighbourhoods are not stored
   * (a later LLM may still fill them), so without this every build would look each one up and search the
   * vocabulary again. Like a stored expansion, the first journey of a name decides for the name.
   */
  private readonly emptyNeighbourhoods = new Set<string>();

  constructor(
    private readonly llm: LlmClient,
    private readonly expansions: JourneyExpansionRepository,
    @Inject(JOURNEY_POLICY) private readonly policy: JourneyPolicy,
  ) {}

  /** Stored expansions of these journeys, by journey id. */
  async findFor(journeys: readonly StoredJourney[], locale: string): Promise<Map<string, JourneyExpansionRecord>> {
    const stored = await this.expansions.findByKeys(journeys.map((j) => expansionKey(j.name, locale)));
    const out = new Map<string, JourneyExpansionRecord>();
    for (const j of journeys) {
      const record = stored.get(expansionKey(j.name, locale));
      // Stored expansions outlive policy changes: the current blocklist applies when they are read.
      const related = record?.related.filter((name) => {
        const verdict = assessJourneySafety({ name, keywords: [] }, this.policy.safety);
        return !verdict.blocked && verdict.sensitiveCategories.length === 0;
      });
      if (record && related && related.length > 0) out.set(j.id, { ...record, related });
    }
    return out;
  }

  /**
   * Generates and stores the expansions missing for these journeys; failures leave them for the next build.
   * `owners` says whose journey each is (by object): an expansion stored for it is erased with that user.
   */
  async ensure(
    journeys: readonly StoredJourney[],
    locale: string,
    embedder: { version: string; embedder: VocabularyEmbedder },
    stats: BuildStats,
    owners: ReadonlyMap<StoredJourney, string> = new Map(),
  ): Promise<void> {
    const stored = await this.expansions.findByKeys(journeys.map((j) => expansionKey(j.name, locale)));
    const missing = journeys.filter((j) => {
      const key = expansionKey(j.name, locale);
      return !stored.has(key) && !(!this.llm.available && this.emptyNeighbourhoods.has(emptyKey(embedder, key)));
    });
    await Promise.all(
      missing.map((j) => {
        const key = expansionKey(j.name, locale);
        let pending = this.inFlight.get(key);
        if (!pending) {
          pending = this.generateOnce(key, j, locale, embedder, stats, owners.get(j)).finally(() =>
            this.inFlight.delete(key),
          );
          this.inFlight.set(key, pending);
        }
        return pending;
      }),
    );
  }

  /** Generates unless another build stored the expansion since this one looked (the window before in-flight). */
  private async generateOnce(
    key: string,
    journey: StoredJourney,
    locale: string,
    embedder: { version: string; embedder: VocabularyEmbedder },
    stats: BuildStats,
    userId: string | undefined,
  ): Promise<void> {
    if ((await this.expansions.findByKeys([key])).has(key)) return;
    await this.generate(key, journey, locale, embedder, stats, userId);
  }

  private async generate(
    key: string,
    journey: StoredJourney,
    locale: string,
    embedder: { version: string; embedder: VocabularyEmbedder },
    stats: BuildStats,
    userId: string | undefined,
  ): Promise<void> {
    const base = { key, name: journey.name, locale, createdAt: new Date(), ...(userId !== undefined && { userId }) };
    if (!this.llm.available) {
      const related = neighbourhoodExpansions(journey, embedder.embedder, this.policy.safety);
      if (related.length === 0) {
        if (this.emptyNeighbourhoods.size >= MAX_REMEMBERED_EMPTY) this.emptyNeighbourhoods.clear();
        this.emptyNeighbourhoods.add(emptyKey(embedder, key));
        return;
      }
      await this.expansions.insertOnce({
        ...base,
        related,
        source: 'embedder',
        model: embedder.version,
        promptVersion: NEIGHBOURHOOD_VERSION,
      });
      return;
    }
    const prompt = buildExpansionPrompt(journey.name, locale);
    stats.expansionCalls += 1;
    try {
      const reply = await completeStructured(this.llm, 'journey-expansion', prompt, prompt.maxTokens, stats);
      const parsed = parseExpansionReply(reply.text, journey.name, this.policy.safety);
      if (!parsed.ok) throw new Error(parsed.reason);
      await this.expansions.insertOnce({
        ...base,
        related: parsed.related,
        source: 'llm',
        model: reply.model,
        promptVersion: EXPANSION_PROMPT_VERSION,
      });
    } catch (error) {
      stats.expansionFallbacks += 1;
      // A resting model was not called: it logged its rest once, and the call costs nothing.
      if (error instanceof LlmRestingError) stats.expansionCalls -= 1;
      else {
        this.logger.warn(
          `expansion of "${journey.name}" failed, retried on a later build: ${(error as Error).message}`,
        );
      }
    }
  }
}

const emptyKey = (embedder: { version: string }, key: string) => `${embedder.version}\u0000${key}`;
