import { Body, Get, Req, Res, UseGuards } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { safeReturnPath } from '../domain/return-path';
import {
  ConsoleAuthGuard,
  ConsoleRequest,
  ConsoleSessionReader,
  Session,
  SignInRequired,
} from '../session/console-auth.guard';
import { ConsoleSession, ConsoleSessionsService } from '../session/console-sessions.service';
import { checkSameOrigin } from '../session/csrf.interceptor';
import { SESSION_COOKIE, SIGN_IN_COOKIE, SessionCookies } from '../session/session-cookies';
import { ConsoleViews } from '../views/console-views';
import { redirect, sendPage } from './respond';
import { ConsoleForm, ConsolePages } from './console-routes';
import { QueryText } from '../../../common/http/query-text.decorator';

/** A sign-in form stays usable this long; then the page must be reloaded. */
const SIGN_IN_FORM_SECONDS = 30 * 60;

/** Sign-in with an admin API key, sign-out, the home page and the stylesheet. */
@ConsolePages('console', { signedIn: false })
export class ConsoleAuthController {
  constructor(
    private readonly sessions: ConsoleSessionsService,
    private readonly reader: ConsoleSessionReader,
    private readonly cookies: SessionCookies,
    private readonly views: ConsoleViews,
  ) {}

  @Get('assets/console.css')
  stylesheet(@Res() res: ServerResponse): void {
    res.setHeader('Content-Type', 'text/css; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.end(this.views.stylesheet);
  }

  @Get('sign-in')
  async signInPage(
    @Req() req: ConsoleRequest,
    @Res() res: ServerResponse,
    @QueryText('next') next?: string,
  ): Promise<void> {
    const current = await this.reader.read(req);
    if (!(current instanceof SignInRequired)) return redirect(res, safeReturnPath(next));
    sendPage(res, 200, this.signInForm(req, res, safeReturnPath(next)));
  }

  @ConsoleForm('sign-in', { csrf: false })
  async signIn(
    @Req() req: ConsoleRequest,
    @Res() res: ServerResponse,
    @Body() form: Record<string, string>,
  ): Promise<void> {
    checkSameOrigin(req);
    const next = safeReturnPath(form.next);
    if (!this.sessions.checkSignInForm(this.cookies.read(req, SIGN_IN_COOKIE), form._form)) {
      return sendPage(res, 403, this.signInForm(req, res, next, 'The sign-in form expired; please try again.'));
    }
    const session = typeof form.apiKey === 'string' ? await this.sessions.signIn(form.apiKey) : undefined;
    if (!session) return sendPage(res, 401, this.signInForm(req, res, next, 'That is not an active admin API key.'));
    this.cookies.clear(req, res, SIGN_IN_COOKIE);
    this.cookies.set(req, res, SESSION_COOKIE, session.cookie, Math.floor(this.sessions.ttlMs / 1000));
    return redirect(res, next);
  }

  @ConsoleForm('sign-out')
  @UseGuards(ConsoleAuthGuard)
  async signOut(
    @Req() req: ConsoleRequest,
    @Res() res: ServerResponse,
    @Session() session: ConsoleSession,
  ): Promise<void> {
    await this.sessions.signOut(session);
    this.cookies.clear(req, res, SESSION_COOKIE);
    redirect(res, '/console/sign-in');
  }

  @Get()
  @UseGuards(ConsoleAuthGuard)
  home(@Session() session: ConsoleSession): string {
    return this.views.render('home', { title: 'Home', session });
  }

  private signInForm(req: ConsoleRequest, res: ServerResponse, next: string, error?: string): string {
    const form = this.sessions.signInForm();
    if (!form) return this.views.render('sign-in', { title: 'Sign in' }, { disabled: true });
    this.cookies.set(req, res, SIGN_IN_COOKIE, form.nonce, SIGN_IN_FORM_SECONDS);
    return this.views.render('sign-in', { title: 'Sign in' }, { formToken: form.token, next, error });
  }
}
