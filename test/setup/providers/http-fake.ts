import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { testCertificate } from '../tls';

/** A request as a fake provider saw it. */
export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * The loopback HTTP(S) server under the provider fakes: it reads each request whole, hands it to the
 * fake's handler and writes the answer; `tls` serves HTTPS with the test certificate.
 */
export class HttpFake {
  baseUrl = '';
  private readonly server: Server;

  constructor(
    handler: (request: FakeRequest) => FakeResponse | Promise<FakeResponse>,
    private readonly tls = false,
  ) {
    const listener = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res, handler);
    this.server = tls ? createHttpsServer(testCertificate(), listener) : createHttpServer(listener);
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `${this.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
    handler: (request: FakeRequest) => FakeResponse | Promise<FakeResponse>,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    let reply: FakeResponse;
    try {
      reply = await handler(request);
    } catch (error) {
      reply = { status: 500, body: JSON.stringify({ fakeError: (error as Error).message }) };
    }
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body ?? '');
  }
}
