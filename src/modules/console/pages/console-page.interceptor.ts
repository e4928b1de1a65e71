import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { Observable } from 'rxjs';

/** Content Security Policy of console pages: no script at all, styles and frames from the console only. */
export const PAGE_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "frame-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Sets the headers every console page carries: HTML, not cached, not framed, no referrer, strict CSP. */
export function setPageHeaders(res: ServerResponse, csp = PAGE_CSP): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  if (!csp.includes("frame-ancestors 'self'")) res.setHeader('X-Frame-Options', 'DENY');
}

@Injectable()
export class ConsolePageInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    setPageHeaders(context.switchToHttp().getResponse<ServerResponse>());
    return next.handle();
  }
}
