import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { ConsoleSession, ConsoleSessionsService, SessionRefusal } from './console-sessions.service';
import { SESSION_COOKIE, SessionCookies } from './session-cookies';

export type ConsoleRequest = IncomingMessage & { consoleSession?: ConsoleSession; originalUrl?: string };

/** Thrown when a console page needs a session; the console filter answers with a redirect to sign-in. */
export class SignInRequired extends Error {
  constructor(
    readonly returnTo: string,
    /** Set when a cookie was sent but refused: the filter then deletes it. */
    readonly refused?: SessionRefusal,
  ) {
    super('sign in to the console');
    this.name = 'SignInRequired';
  }
}

/**
 * Where sign-in sends the browser back to: the page asked for, or for a form (which posts to
 * `<page>/<action>`) the page it was on, since only a GET can follow the redirect.
 */
function returnPathOf(req: ConsoleRequest): string {
  const url = req.originalUrl ?? req.url ?? '/console';
  if (req.method === 'GET' || req.method === 'HEAD') return url;
  const path = url.split('?')[0];
  return path.slice(0, path.lastIndexOf('/')) || '/console';
}

/** Looks up the request's session cookie; shared by the console pages' guard and Bull Board's middleware. */
@Injectable()
export class ConsoleSessionReader {
  constructor(
    private readonly sessions: ConsoleSessionsService,
    private readonly cookies: SessionCookies,
  ) {}

  /** The request's session, or a SignInRequired that says why there is none. */
  async read(req: ConsoleRequest): Promise<ConsoleSession | SignInRequired> {
    const returnTo = returnPathOf(req);
    const cookie = this.cookies.read(req, SESSION_COOKIE);
    if (!cookie) return new SignInRequired(returnTo);
    const result = await this.sessions.resolve(cookie);
    return 'refused' in result ? new SignInRequired(returnTo, result.refused) : result;
  }
}

/** Lets a request through to a console page only with a live session, which it attaches to the request. */
@Injectable()
export class ConsoleAuthGuard implements CanActivate {
  constructor(private readonly reader: ConsoleSessionReader) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ConsoleRequest>();
    const session = await this.reader.read(req);
    if (session instanceof SignInRequired) throw session;
    req.consoleSession = session;
    return true;
  }
}

/** The session ConsoleAuthGuard attached. */
export const Session = createParamDecorator(
  (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<ConsoleRequest>().consoleSession!,
);
