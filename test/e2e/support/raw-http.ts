import { INestApplication } from '@nestjs/common';
import { request } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Record<string, unknown>;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as is (bytes too), with Content-Length unless a Transfer-Encoding header is given. */
  body?: string | Buffer;
}

/**
 * One HTTP request with exactly the given headers: no Content-Type is added (supertest sets one for
 * every body), so tests can send bodies without a Content-Type or with any other.
 */
export async function rawRequest(app: INestApplication, req: RawRequest): Promise<RawResponse> {
  const server = app.getHttpServer() as { address(): AddressInfo | string | null; listening: boolean };
  if (!server.listening) await app.listen(0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  const headers: Record<string, string> = { ...req.headers };
  if (req.body !== undefined && !headers['Transfer-Encoding']) {
    headers['Content-Length'] = String(Buffer.byteLength(req.body));
  }
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // Not JSON: the test reads `text`.
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}
