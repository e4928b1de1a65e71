import mongoose, { Connection } from 'mongoose';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { OpenAiLlmClient } from '../../../src/modules/llm/openai-llm.client';
import { emptyBuildStats } from '../../../src/modules/journeys/build-stats';
import { DEFAULT_SAFETY_POLICY } from '../../../src/modules/journeys/domain/journey-safety';
import { DEFAULT_NAMING_RULES } from '../../../src/modules/journeys/domain/llm-naming';
import { VocabularyEmbedder } from '../../../src/modules/journeys/expansion-neighbourhood';
import { JourneyExpansionRepository } from '../../../src/modules/journeys/journey-expansion.repository';
import { JourneyExpansionRecord, JourneyExpansionSchema } from '../../../src/modules/journeys/journey-expansion.schema';
import { JourneyExpansionService } from '../../../src/modules/journeys/journey-expansion.service';
import { buildStoredJourney } from '../../factories/journey.factory';
import { startTestMongo } from '../../setup/mongo';

const NOW = new Date('2026-03-01T12:00:00Z');

/** A vocabulary of two-word phrases on embedding axes; counts how often the neighbourhood search reads it. */
function vocabularyOn(axes: Record<string, number>): VocabularyEmbedder & { reads: number } {
  const vectors = new Map(
    Object.entries(axes).map(([key, axis]) => [key, Array.from({ length: 8 }, (_, i) => (i === axis ? 1 : 0))]),
  );
  return {
    vocab: [...vectors.keys()],
    reads: 0,
    embed(key: string) {
      this.reads++;
      return vectors.get(key) ?? new Array<number>(8).fill(0);
    },
  };
}

describe(JourneyExpansionService.name, () => {
  let server: EmbeddedMongo;
  let connection: Connection;
  let service: JourneyExpansionService;

  beforeAll(async () => {
    server = await startTestMongo();
    connection = await mongoose.createConnection(server.uri, { dbName: 'expansions' }).asPromise();
    const model = connection.model(JourneyExpansionRecord.name, JourneyExpansionSchema);
    await model.init();
    // No API key: expansions come from the embedder's neighbourhood.
    const llm = new OpenAiLlmClient({
      baseUrl: 'http://127.0.0.1:9',
      model: 'none',
      embeddingModel: 'none',
      timeoutMs: 100,
      maxRetries: 0,
      concurrency: 1,
      restAfterFailures: 3,
      restMs: 60_000,
    });
    const policy = {
      safety: DEFAULT_SAFETY_POLICY,
      naming: DEFAULT_NAMING_RULES,
      signatureKeywords: 3,
      defaultLocale: 'en',
      notifySensitive: false,
    };
    service = new JourneyExpansionService(llm, new JourneyExpansionRepository(model), policy);
  });

  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('searches an empty neighbourhood once per embedder version, and stores non-empty ones', async () => {
    const lonely = buildStoredJourney(NOW, { name: 'Marathon Training', axis: 0 });
    const related = buildStoredJourney(NOW, { name: 'Kitchen Renovation', axis: 1 });
    const vocabulary = vocabularyOn({ 'tile backsplash': 1, 'garden shed': 2 });
    const embedder = { version: 'v1', embedder: vocabulary };

    await service.ensure([lonely, related], 'en', embedder, emptyBuildStats());
    const firstReads = vocabulary.reads;
    expect(firstReads).toBeGreaterThan(0);
    const stored = await service.findFor([lonely, related], 'en');
    expect(stored.has(lonely.id)).toBe(false);
    expect(stored.get(related.id)?.related).toEqual(['Tile Backsplash']);

    await service.ensure([lonely, related], 'en', embedder, emptyBuildStats());
    expect(vocabulary.reads).toBe(firstReads);

    // A new embedder version may find relatives for the name: it is searched again.
    await service.ensure([lonely], 'en', { version: 'v2', embedder: vocabulary }, emptyBuildStats());
    expect(vocabulary.reads).toBeGreaterThan(firstReads);
  });
});
