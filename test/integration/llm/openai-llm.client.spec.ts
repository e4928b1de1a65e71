import { OpenAiLlmClient } from '../../../src/modules/llm/openai-llm.client';
import { LlmSettings, LlmUnavailableError } from '../../../src/modules/llm/llm.types';
import { FakeOpenAiServer } from '../../setup/openai-server';

describe(OpenAiLlmClient.name, () => {
  let server: FakeOpenAiServer;
  const settings = (overrides: Partial<LlmSettings> = {}): LlmSettings => ({
    apiKey: 'test-key',
    baseUrl: server.baseUrl,
    model: 'test-model',
    embeddingModel: 'test-embedding',
    timeoutMs: 2000,
    maxRetries: 0,
    concurrency: 4,
    ...overrides,
  });

  beforeEach(async () => {
    server = await FakeOpenAiServer.start();
  });
  afterEach(() => server.stop());

  it('sends a structured-output request over HTTP and accounts the tokens', async () => {
    server.onChat(() => ({ content: '{"name":"Kitchen Renovation"}', promptTokens: 42, completionTokens: 7 }));
    const sut = new OpenAiLlmClient(settings());
    const result = await sut.complete({
      purpose: 'journey-naming',
      messages: [{ role: 'user', content: 'name it' }],
      jsonSchema: { name: 'journey_name', schema: { type: 'object' } },
    });
    expect(JSON.parse(result.text)).toEqual({ name: 'Kitchen Renovation' });
    expect(server.requests[0].model).toBe('test-model');
    expect(server.requests[0].response_format?.json_schema?.name).toBe('journey_name');
    expect(sut.usage.snapshot().byPurpose['journey-naming']).toEqual({
      calls: 1,
      failures: 0,
      promptTokens: 42,
      completionTokens: 7,
    });
  });

  it('retries a failing server with the SDK and succeeds', async () => {
    server.onChat((_req, i) =>
      i === 0 ? { status: 500, body: '{"error":{"message":"overloaded"}}' } : { content: 'ok' },
    );
    const sut = new OpenAiLlmClient(settings({ maxRetries: 2 }));
    await expect(sut.complete({ purpose: 'copy', messages: [{ role: 'user', content: 'x' }] })).resolves.toMatchObject({
      text: 'ok',
    });
    expect(server.requests).toHaveLength(2);
  });

  it('fails on a slow server after the timeout and counts the failure', async () => {
    server.onChat(() => ({ content: 'late', delayMs: 1000 }));
    const sut = new OpenAiLlmClient(settings({ timeoutMs: 100 }));
    await expect(sut.complete({ purpose: 'copy', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow();
    expect(sut.usage.snapshot().total).toMatchObject({ calls: 1, failures: 1 });
  });

  it('fails on a malformed HTTP body', async () => {
    server.onChat(() => ({ status: 200, body: '{"choices": [' }));
    const sut = new OpenAiLlmClient(settings());
    await expect(sut.complete({ purpose: 'copy', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow();
  });

  it('holds the configured concurrency limit', async () => {
    server.onChat(() => ({ content: 'ok', delayMs: 30 }));
    const sut = new OpenAiLlmClient(settings({ concurrency: 2 }));
    await Promise.all(
      Array.from({ length: 8 }, () => sut.complete({ purpose: 'copy', messages: [{ role: 'user', content: 'x' }] })),
    );
    expect(server.requests).toHaveLength(8);
    expect(server.peakInFlight).toBe(2);
  });

  it('returns embeddings in input order', async () => {
    const sut = new OpenAiLlmClient(settings());
    const vectors = await sut.embed(['kitchen', 'marathon']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(await sut.embed(['kitchen'])).toEqual([vectors[0]]);
  });

  it('is unavailable without an API key and says so', async () => {
    const sut = new OpenAiLlmClient(settings({ apiKey: undefined }));
    expect(sut.available).toBe(false);
    await expect(sut.complete({ purpose: 'copy', messages: [] })).rejects.toBeInstanceOf(LlmUnavailableError);
  });
});
