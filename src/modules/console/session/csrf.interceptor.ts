import { CallHandler, ExecutionContext, ForbiddenException, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { sameToken } from '../domain/session-token';
import { ConsoleRequest } from './console-auth.guard';

/** Refuses a request that a browser says came from another site (Origin, Sec-Fetch-Site). */
export function checkSameOrigin(req: ConsoleRequest): void {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') throw new ForbiddenException('Cross-site requests are refused');
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host) throw new ForbiddenException('Cross-origin requests are refused');
  }
}

/**
 * Checks a console form: it must carry the session's form token (`_csrf`) and not come from another
 * origin. Runs after the body is read (JsonBodyInterceptor reads @FormBody forms) and after the session guard.
 */
@Injectable()
export class CsrfInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<ConsoleRequest & { body?: Record<string, string> }>();
    checkSameOrigin(req);
    if (!req.consoleSession || !sameToken(req.body?._csrf, req.consoleSession.csrf)) {
      throw new ForbiddenException('This form is out of date or did not come from this console: reload and try again');
    }
    return next.handle();
  }
}
