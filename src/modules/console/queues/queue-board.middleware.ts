import { HttpException } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { ConsoleRequest, ConsoleSessionReader, SignInRequired } from '../session/console-auth.guard';
import { checkSameOrigin } from '../session/csrf.interceptor';
import { SESSION_COOKIE, SessionCookies } from '../session/session-cookies';

type Next = (error?: unknown) => void;

/**
 * Bull Board's UI is scripts and styles of its own origin; its page also links a web font from a public
 * CDN, which this policy blocks so that opening the console never contacts a third party.
 */
export const QUEUE_BOARD_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Bull Board behind the console's sign-in: without a live session a page request is sent to sign-in
 * (a refused cookie is deleted); its JSON actions (retry, clean, remove) must also come from this
 * origin, which with the SameSite=Strict cookie keeps other sites from triggering them.
 */
export function queueBoardGate(reader: ConsoleSessionReader, cookies: SessionCookies) {
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const request = req as ConsoleRequest;
    reader
      .read(request)
      .then((session) => {
        if (session instanceof SignInRequired) {
          if (session.refused) cookies.clear(req, res, SESSION_COOKIE);
          res.statusCode = 303;
          res.setHeader('Location', `/console/sign-in?next=${encodeURIComponent(session.returnTo)}`);
          res.setHeader('Cache-Control', 'no-store');
          return res.end();
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') checkSameOrigin(request);
        res.setHeader('Content-Security-Policy', QUEUE_BOARD_CSP);
        res.setHeader('X-Frame-Options', 'DENY');
        res.setHeader('Referrer-Policy', 'no-referrer');
        next();
      })
      .catch((error: unknown) => {
        if (!(error instanceof HttpException)) return next(error);
        res.statusCode = error.getStatus();
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ statusCode: error.getStatus(), message: error.message }));
      });
  };
}
