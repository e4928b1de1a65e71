import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IncomingMessage, ServerResponse } from 'node:http';
import { TLSSocket } from 'node:tls';
import { Settings } from '../../../config/settings';
import { parseCookies, serializeCookie } from '../domain/cookies';

export const SESSION_COOKIE = 'jc_console';
export const SIGN_IN_COOKIE = 'jc_console_sign_in';
/** Every console page and Bull Board live under this path, so the cookies go nowhere else. */
const COOKIE_PATH = '/console';

/** Reads and writes the console's cookies: HttpOnly, SameSite=Strict, path /console, Secure over https. */
@Injectable()
export class SessionCookies {
  private readonly secure: 'auto' | 'always' | 'never';

  constructor(config: ConfigService<Settings, true>) {
    this.secure = config.get('console', { infer: true }).secureCookie;
  }

  read(req: IncomingMessage, name: string): string | undefined {
    return parseCookies(req.headers.cookie).get(name);
  }

  set(req: IncomingMessage, res: ServerResponse, name: string, value: string, maxAgeSeconds: number): void {
    this.append(res, serializeCookie(name, value, this.options(req, maxAgeSeconds)));
  }

  clear(req: IncomingMessage, res: ServerResponse, name: string): void {
    this.append(res, serializeCookie(name, '', this.options(req, 0)));
  }

  private options(req: IncomingMessage, maxAge: number) {
    return { path: COOKIE_PATH, maxAge, sameSite: 'Strict' as const, secure: this.isSecure(req) };
  }

  private isSecure(req: IncomingMessage): boolean {
    if (this.secure !== 'auto') return this.secure === 'always';
    // Only ever adds the Secure flag, so trusting a proxy's header here cannot weaken anything.
    const forwarded = String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      .trim()
      .toLowerCase();
    return (req.socket as TLSSocket).encrypted === true || forwarded === 'https';
  }

  private append(res: ServerResponse, cookie: string): void {
    const existing = res.getHeader('Set-Cookie');
    const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
    res.setHeader('Set-Cookie', [...list, cookie]);
  }
}
