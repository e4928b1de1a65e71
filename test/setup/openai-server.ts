import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** What a scripted endpoint answers: a chat reply, a raw HTTP status and body, or a delay first. */
export type FakeReply =
  | { content: string; delayMs?: number; promptTokens?: number; completionTokens?: number }
  | { status: number; body: string; delayMs?: number };

export interface FakeChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string; json_schema?: { name: string } };
}

export type ChatHandler = (request: FakeChatRequest, callIndex: number) => FakeReply;

/**
 * A local OpenAI-compatible HTTP server (chat completions and embeddings) for tests: the real openai
 * SDK talks to it over HTTP, and each test scripts the answers, including slow, failing and malformed ones.
 */
export class FakeOpenAiServer {
  readonly requests: FakeChatRequest[] = [];
  peakInFlight = 0;
  private inFlight = 0;
  private chat: ChatHandler = () => ({ content: '{}' });

  private readonly server: Server = createServer((req, res) => void this.handle(req, res));
  baseUrl = '';

  private constructor() {}

  static async start(): Promise<FakeOpenAiServer> {
    const instance = new FakeOpenAiServer();
    await new Promise<void>((resolve) => instance.server.listen(0, '127.0.0.1', resolve));
    const { port } = instance.server.address() as AddressInfo;
    instance.baseUrl = `http://127.0.0.1:${port}/v1`;
    return instance;
  }

  onChat(handler: ChatHandler): void {
    this.chat = handler;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      if (req.url?.endsWith('/embeddings')) return this.sendEmbeddings(res, body);
      if (!req.url?.endsWith('/chat/completions')) return this.send(res, 404, '{"error":{"message":"not found"}}');
      const request = body as unknown as FakeChatRequest;
      this.requests.push(request);
      const reply = this.chat(request, this.requests.length - 1);
      // Unreferenced, so a slow reply still pending when the server stops does not keep the process alive.
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs).unref());
      if ('status' in reply) return this.send(res, reply.status, reply.body);
      this.send(
        res,
        200,
        JSON.stringify({
          id: `chatcmpl-${this.requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: request.model,
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: reply.content } }],
          usage: {
            prompt_tokens: reply.promptTokens ?? 10,
            completion_tokens: reply.completionTokens ?? 5,
            total_tokens: (reply.promptTokens ?? 10) + (reply.completionTokens ?? 5),
          },
        }),
      );
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Deterministic embeddings: a small vector from character codes, so equal texts embed equally. */
  private sendEmbeddings(res: ServerResponse, body: Record<string, unknown>): void {
    const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
    const data = input.map((text, index) => {
      const vector = new Array<number>(8).fill(0);
      for (let i = 0; i < text.length; i += 1) vector[i % 8] += text.charCodeAt(i) / 1000;
      // The SDK asks for base64-encoded float32 by default, as the real API supports.
      const embedding =
        body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    this.send(
      res,
      200,
      JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 3, total_tokens: 3 } }),
    );
  }

  private send(res: ServerResponse, status: number, body: string): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  }
}
