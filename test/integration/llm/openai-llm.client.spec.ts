import { Logger } from '@nestjs/common';
import { OpenAiLlmClient } from '../../../src/modules/llm/openai-llm.client';
import { LlmRestingError, LlmSettings, LlmUnavailableError } from '../../../src/modules/llm/llm.types';
import { FakeOpenAiServer, FakeReply, refusalReply } from '../../setup/openai-server';

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
    restAfterFailures: 3,
    restMs: 60_000,
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

  it('accounts the tokens of a refusal, which the endpoint charged for like any answer', async () => {
    server.onChat(() => refusalReply("I'm sorry, I can't help with that.", { promptTokens: 30, completionTokens: 9 }));
    const seen: unknown[] = [];
    const sut = new OpenAiLlmClient(settings(), { usage: (...call) => seen.push(call) });
    await expect(sut.complete({ purpose: 'copy', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      refusal: "I'm sorry, I can't help with that.",
      promptTokens: 30,
      completionTokens: 9,
    });
    expect(sut.usage.snapshot().byPurpose.copy).toEqual({
      calls: 1,
      failures: 1,
      promptTokens: 30,
      completionTokens: 9,
    });
    expect(seen).toEqual([['copy', 'failed', 30, 9]]);
  });

  it('calls a model that takes no sampling temperature (a reasoning model) without one, from its first refusal on', async () => {
    const refusal = {
      status: 400,
      body: JSON.stringify({
        error: {
          message:
            "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
          type: 'invalid_request_error',
          param: 'temperature',
          code: 'unsupported_value',
        },
      }),
    };
    server.onChat((request) => ('temperature' in request ? refusal : { content: '{"name":"Trail Running"}' }));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const sut = new OpenAiLlmClient(settings({ model: 'reasoning-model' }));
      const ask = () => sut.complete({ purpose: 'journey-naming', messages: [{ role: 'user', content: 'name it' }] });
      await expect(ask()).resolves.toMatchObject({ text: '{"name":"Trail Running"}' });
      await expect(ask()).resolves.toMatchObject({ text: '{"name":"Trail Running"}' });
      // One refused request, then every call without a temperature; neither call failed.
      expect(server.requests.map((r) => 'temperature' in r)).toEqual([true, false, false]);
      expect(sut.usage.snapshot().byPurpose['journey-naming']).toMatchObject({ calls: 2, failures: 0 });
      expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
        expect.stringContaining('reasoning-model takes no temperature'),
      ]);
    } finally {
      warn.mockRestore();
    }
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
  describe('when a model keeps failing', () => {
    const overloaded = { status: 503, body: '{"error":{"message":"overloaded"}}' };
    const ask = (sut: OpenAiLlmClient, model?: string) =>
      sut.complete({ purpose: 'journey-naming', ...(model && { model }), messages: [{ role: 'user', content: 'x' }] });
    let clock: number;
    let states: string[];
    const client = (overrides: Partial<LlmSettings> = {}) =>
      new OpenAiLlmClient(settings({ restAfterFailures: 2, restMs: 30_000, ...overrides }), {
        now: () => clock,
        breaker: (model, state) => states.push(`${model}:${state}`),
      });
    beforeEach(() => {
      clock = 1_000_000;
      states = [];
    });
    afterEach(() => jest.restoreAllMocks());

    it('rests it after the configured failures in a row: calls fail at once without reaching the server', async () => {
      server.onChat(() => overloaded);
      const sut = client();
      await expect(ask(sut)).rejects.toThrow(/overloaded/);
      expect(sut.restingReason()).toBeUndefined();
      await expect(ask(sut)).rejects.toThrow(/overloaded/);
      const rested = await Promise.allSettled(Array.from({ length: 5 }, () => ask(sut)));
      expect(rested.every((r) => r.status === 'rejected' && r.reason instanceof LlmRestingError)).toBe(true);
      expect(server.requests).toHaveLength(2);
      expect(sut.restingReason()).toBe('calls to test-model rest after 2 failures in a row');
      // Rested calls are no calls: they cost nothing and are not failures of the endpoint.
      expect(sut.usage.snapshot().total).toMatchObject({ calls: 2, failures: 2 });
      expect(states).toEqual(['test-model:open']);
    });

    it('lets one trial call through after the rest; its success ends the rest', async () => {
      server.onChat(() => overloaded);
      const sut = client();
      for (let i = 0; i < 2; i++) await expect(ask(sut)).rejects.toThrow(/overloaded/);
      clock += 29_999;
      await expect(ask(sut)).rejects.toBeInstanceOf(LlmRestingError);
      clock += 1;
      server.onChat(() => ({ content: 'ok' }));
      const [trial, during] = await Promise.allSettled([ask(sut), ask(sut)]);
      expect(trial).toMatchObject({ status: 'fulfilled', value: { text: 'ok' } });
      expect(during).toMatchObject({ status: 'rejected', reason: expect.any(LlmRestingError) });
      await expect(ask(sut)).resolves.toMatchObject({ text: 'ok' });
      expect(server.requests).toHaveLength(4);
      expect(states).toEqual(['test-model:open', 'test-model:half-open', 'test-model:closed']);
    });

    it('rests again for a whole period when the trial call fails', async () => {
      server.onChat(() => overloaded);
      const sut = client();
      for (let i = 0; i < 2; i++) await expect(ask(sut)).rejects.toThrow(/overloaded/);
      clock += 30_000;
      await expect(ask(sut)).rejects.toThrow(/overloaded/);
      clock += 29_999;
      await expect(ask(sut)).rejects.toBeInstanceOf(LlmRestingError);
      expect(server.requests).toHaveLength(3);
    });

    it('rests only the failing model: another model of the endpoint is still called', async () => {
      server.onChat((request) => (request.model === 'test-model' ? overloaded : { content: 'graded' }));
      const sut = client();
      for (let i = 0; i < 2; i++) await expect(ask(sut)).rejects.toThrow(/overloaded/);
      await expect(ask(sut, 'judge-model')).resolves.toMatchObject({ text: 'graded' });
      expect(sut.restingReason('judge-model')).toBeUndefined();
    });

    it('does not count a refusal as a failure of the endpoint', async () => {
      server.onChat(() => refusalReply("I'm sorry, I can't help with that."));
      const sut = client({ restAfterFailures: 1 });
      for (let i = 0; i < 3; i++) await expect(ask(sut)).rejects.toThrow(/refused/);
      expect(server.requests).toHaveLength(3);
      expect(states).toEqual([]);
    });

    describe('when the endpoint asks for a rest (Retry-After)', () => {
      const limited = (headers: Record<string, string>, status = 429): FakeReply => ({
        status,
        body: '{"error":{"message":"rate limited"}}',
        headers,
      });

      it.each([
        ['Retry-After in seconds', () => ({ 'retry-after': '120' }), 429, 120_000],
        ['Retry-After on a 503', () => ({ 'retry-after': '600' }), 503, 600_000],
        ['retry-after-ms', () => ({ 'retry-after-ms': '90000' }), 429, 90_000],
        // To the second, as an HTTP date is written: read against the wall clock, as the SDK reads it.
        [
          'Retry-After as a date',
          () => ({ 'retry-after': new Date(Date.now() + 300_000).toUTCString() }),
          429,
          300_000,
        ],
      ])(
        'rests the model for a long %s at once: no retry, no call until then, then one trial call',
        async (_, headers, status, restMs) => {
          server.onChat(() => limited(headers(), status));
          const sut = client({ maxRetries: 2, restAfterFailures: 3, restMs: 30_000 });
          await expect(ask(sut)).rejects.toThrow(/rate limited/);
          expect(server.requests).toHaveLength(1);
          await expect(ask(sut)).rejects.toBeInstanceOf(LlmRestingError);
          expect(sut.restingReason()).toMatch(/test-model asked for no calls for \d+ s/);
          clock += restMs - 1_000;
          await expect(ask(sut)).rejects.toBeInstanceOf(LlmRestingError);
          expect(server.requests).toHaveLength(1);
          clock += 1_000;
          server.onChat(() => ({ content: 'ok' }));
          await expect(ask(sut)).resolves.toMatchObject({ text: 'ok' });
          expect(sut.restingReason()).toBeUndefined();
          expect(states).toEqual(['test-model:open', 'test-model:half-open', 'test-model:closed']);
        },
      );

      it('waits out a short Retry-After and retries, as the SDK does', async () => {
        server.onChat((_req, i) => (i === 0 ? limited({ 'retry-after-ms': '10' }) : { content: 'ok' }));
        const sut = client({ maxRetries: 2 });
        await expect(ask(sut)).resolves.toMatchObject({ text: 'ok' });
        expect(server.requests).toHaveLength(2);
        expect(states).toEqual([]);
      });
    });

    it('logs once when a model starts resting and once when it answers again, not per call', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      server.onChat(() => overloaded);
      const sut = client();
      for (let i = 0; i < 6; i++) await expect(ask(sut)).rejects.toThrow();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(/test-model failed 2 calls in a row \(last: .*overloaded.*\)/);
      clock += 30_000;
      server.onChat(() => ({ content: 'ok' }));
      for (let i = 0; i < 3; i++) await ask(sut);
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0][0]).toMatch(/test-model answers again/);
    });
  });
});
