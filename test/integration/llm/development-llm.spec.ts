import { buildExpansionPrompt, parseExpansionReply } from '../../../src/modules/journeys/domain/journey-expansion';
import { DEFAULT_SAFETY_POLICY } from '../../../src/modules/journeys/domain/journey-safety';
import { buildNamingPrompt, parseNamingReply } from '../../../src/modules/journeys/domain/llm-naming';
import { OpenAiLlmClient } from '../../../src/modules/llm/openai-llm.client';
import { buildCopyPrompt } from '../../../src/modules/personalization/domain/copy-prompt';
import { CopyRequest, DEFAULT_COPY_LIMITS } from '../../../src/modules/personalization/domain/copy-types';
import { validateCopyReply } from '../../../src/modules/personalization/domain/copy-validation';
import { developmentReply } from '../../../src/lib/llm-server/development-replies';
import { OpenAiCompatibleServer } from '../../../src/lib/llm-server/openai-compatible-server';
import { THEMES } from '../../../src/lib/synthetic/themes';

const LOCALES = ['en-US', 'en-GB', 'fr-FR', 'de-DE', 'es-ES', 'pt-BR'];

describe('the development LLM (the real openai SDK over HTTP, judged by the product validators)', () => {
  let server: OpenAiCompatibleServer;
  let client: OpenAiLlmClient;

  beforeAll(async () => {
    server = await OpenAiCompatibleServer.listen(developmentReply);
    client = new OpenAiLlmClient({
      apiKey: 'development',
      baseUrl: server.baseUrl,
      model: 'journeycast-development',
      embeddingModel: 'journeycast-development',
      timeoutMs: 5000,
      maxRetries: 0,
      concurrency: 4,
      restAfterFailures: 3,
      restMs: 60_000,
    });
  });
  afterAll(() => server.stop());

  const ask = async (prompt: { system: string; user: string; schema: { name: string; schema: object } }) =>
    (
      await client.complete({
        purpose: prompt.schema.name,
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        jsonSchema: prompt.schema as { name: string; schema: Record<string, unknown> },
      })
    ).text;

  it('names every synthetic theme from its keywords, grounded, deterministically', async () => {
    for (const theme of THEMES) {
      const cluster = { keywords: theme.queries.map((text, i) => ({ text, weight: 10 - i })) };
      const prompt = buildNamingPrompt(cluster, 'en-US');
      const reply = await ask(prompt);
      expect({ theme: theme.id, verdict: parseNamingReply(reply, cluster) }).toMatchObject({ verdict: { ok: true } });
      expect(await ask(prompt)).toBe(reply);
    }
  });

  it('suggests five to ten safe related journeys for every theme', async () => {
    for (const theme of THEMES) {
      const verdict = parseExpansionReply(
        await ask(buildExpansionPrompt(theme.name, 'en')),
        theme.name,
        DEFAULT_SAFETY_POLICY,
      );
      expect({ theme: theme.id, verdict }).toMatchObject({ verdict: { ok: true } });
    }
  });

  it('writes push and email copy the copy validation accepts, in each supported language and stage', async () => {
    const accepted = new Set<string>();
    for (const [index, theme] of THEMES.slice(0, 8).entries()) {
      for (const locale of LOCALES) {
        for (const channel of ['push', 'email'] as const) {
          for (const stage of ['ongoing', 'ended'] as const) {
            const request: CopyRequest = {
              channel,
              subject: {
                name: theme.name,
                keywords: theme.queries,
                stage,
                type: theme.type,
                related: index % 2 ? [] : ['Pantry Makeover'],
              },
              locale,
              tone: 'warm',
              limits: { ...DEFAULT_COPY_LIMITS, titleMaxChars: 50, bodyMaxChars: 120 },
              allowUrls: false,
              allowHtml: false,
              blockedTerms: [],
              promptVersion: 'copy-v5',
            };
            const reply = await ask(buildCopyPrompt(request));
            const verdict = validateCopyReply(reply, request);
            expect({ theme: theme.id, locale, channel, stage, verdict }).toMatchObject({ verdict: { ok: true } });
            accepted.add(reply);
          }
        }
      }
    }
    // Varied: journeys do not all read the same.
    expect(accepted.size).toBeGreaterThan(8 * LOCALES.length);
  });

  it('answers a prompt it does not know with {} and counts the tokens of what it read', async () => {
    const before = server.requests.length;
    const result = await client.complete({
      purpose: 'other',
      messages: [{ role: 'user', content: 'Write a poem about kitchens.' }],
      jsonSchema: { name: 'poem', schema: { type: 'object' } },
    });
    expect(result.text).toBe('{}');
    expect(result.promptTokens).toBeGreaterThan(1);
    expect(server.requests).toHaveLength(before + 1);
  });
});
