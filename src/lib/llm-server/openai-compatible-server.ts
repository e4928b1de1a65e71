import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { strictSchemaProblems } from '../prompt/strict-schema';

/**
 * What the server answers one chat request with: a reply, or a raw HTTP status and body with any headers
 * (a 429's `Retry-After`); either after a delay.
 */
export type ChatReply =
  | { content: string; delayMs?: number; promptTokens?: number; completionTokens?: number }
  | { status: number; body: string; headers?: Record<string, string>; delayMs?: number };

/** The part of a chat completion request the server reads. */
export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: {
    type: string;
    json_schema?: { name: string; schema?: Record<string, unknown>; strict?: boolean };
  };
}

export type ChatHandler = (request: ChatRequest, callIndex: number) => ChatReply;

/**
 * The 400 body OpenAI answers a strict response schema with a keyword outside the subset it takes, or
 * undefined: the server holds requests to the same contract, so a prompt it serves is one the API takes.
 */
function schemaRefusal(request: ChatRequest): string | undefined {
  const format = request.response_format?.json_schema;
  if (!format?.strict || !format.schema) return undefined;
  const [problem] = strictSchemaProblems(format.schema);
  if (!problem) return undefined;
  const message = `Invalid schema for response_format '${format.name}': ${problem}.`;
  return JSON.stringify({ error: { message, type: 'invalid_request_error', param: 'response_format', code: null } });
}

// Tokens are estimated, as a real endpoint would count them, so budgets and usage numbers move.
const estimateTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/**
 * A local OpenAI-compatible HTTP server (`/chat/completions` and `/embeddings`) for development and
 * tests: the real openai SDK talks to it over HTTP, and `chat` decides every answer. It keeps the
 * requests it received and the most it served at once.
 */
export class OpenAiCompatibleServer {
  readonly requests: ChatRequest[] = [];
  peakInFlight = 0;
  baseUrl = '';
  private inFlight = 0;
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));

  protected constructor(protected chat: ChatHandler) {}

  /** Starts a server on `host` (loopback by default) and `port` (0: a free one); `baseUrl` ends in `/v1`. */
  static async listen(chat: ChatHandler, options: { host?: string; port?: number } = {}) {
    return new OpenAiCompatibleServer(chat).start(options);
  }

  protected async start({ host = '127.0.0.1', port = 0 }: { host?: string; port?: number }): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, resolve);
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/v1`;
    return this;
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
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return this.send(res, 400, '{"error":{"message":"the body is not JSON"}}');
      }
      if (req.url?.endsWith('/embeddings')) return this.sendEmbeddings(res, body);
      if (!req.url?.endsWith('/chat/completions')) return this.send(res, 404, '{"error":{"message":"not found"}}');
      const request = body as unknown as ChatRequest;
      this.requests.push(request);
      const refused = schemaRefusal(request);
      if (refused) return this.send(res, 400, refused);
      const reply = this.chat(request, this.requests.length - 1);
      // Unreferenced, so a slow reply still pending when the server stops does not keep the process alive.
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs).unref());
      if ('status' in reply) return this.send(res, reply.status, reply.body, reply.headers);
      const promptTokens = reply.promptTokens ?? estimateTokens(request.messages.map((m) => m.content).join('\n'));
      const completionTokens = reply.completionTokens ?? estimateTokens(reply.content);
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
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: promptTokens + completionTokens,
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

  private send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, { ...headers, 'content-type': 'application/json' });
    res.end(body);
  }
}
