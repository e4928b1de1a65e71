import { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddress } from './domain/client-address';
import { PAGE_SECURITY_POLICY } from './domain/unsubscribe-page';
import { RequestFacts } from './engagement.service';

/** A transparent 1×1 GIF (43 bytes). */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

/** Tracking answers are never cached (each fetch must reach us) and never leak the token as a referrer. */
function privateHeaders(res: ServerResponse): void {
  res.setHeader('Cache-Control', 'no-store, no-cache, must-revalidate, private, max-age=0');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Expires', '0');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/** The open pixel: the same bytes and headers whatever the token was. */
export function sendPixel(res: ServerResponse): void {
  privateHeaders(res);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'image/gif');
  res.setHeader('Content-Length', PIXEL.length);
  res.end(PIXEL);
}

/** A page of the unsubscribe flow (or the 404 of a dead link), locked down to its own inline style. */
export function sendPage(res: ServerResponse, page: { status: number; html: string }): void {
  privateHeaders(res);
  res.statusCode = page.status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', PAGE_SECURITY_POLICY);
  res.setHeader('X-Frame-Options', 'DENY');
  res.end(page.html);
}

/** A 302 to a link's stored target. */
export function sendRedirect(res: ServerResponse, target: string): void {
  privateHeaders(res);
  res.statusCode = 302;
  res.setHeader('Location', target);
  res.end();
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** What a pixel or link request says about who made it (see machine-fetches). */
export function requestFacts(req: IncomingMessage, proxyHops: number): RequestFacts {
  const purpose = ['purpose', 'sec-purpose', 'x-purpose', 'x-moz']
    .map((name) => header(req, name))
    .filter(Boolean)
    .join(', ');
  const address = clientAddress(req.socket.remoteAddress, header(req, 'x-forwarded-for'), proxyHops);
  return {
    method: req.method ?? 'GET',
    ...(header(req, 'user-agent') !== undefined && { userAgent: header(req, 'user-agent') }),
    ...(address && { address }),
    ...(purpose && { purpose }),
  };
}
