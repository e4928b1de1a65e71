import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { FieldValidationException } from '../../../common/http/field-errors';
import { FieldError } from '../../../lib/validation/field-error';
import { CampaignError } from '../../campaigns/domain/campaign.errors';
import { ExperimentError } from '../../experiments/domain/experiments.errors';
import { SignInRequired } from '../session/console-auth.guard';
import { SESSION_COOKIE, SessionCookies } from '../session/session-cookies';
import { ConsoleViews } from '../views/console-views';
import { setPageHeaders } from './console-page.interceptor';

const CAMPAIGN_STATUS: Record<CampaignError['code'], number> = {
  'campaign.not-found': 404,
  'campaign.bad-request': 400,
  'campaign.invalid': 409,
  'campaign.archived': 409,
  'campaign.conflict': 409,
  'campaign.schedule-passed': 409,
  'campaign.run-not-found': 404,
  'campaign.run-conflict': 409,
};

/** The status and the message a person should read for an error of a console page. */
function describe(error: unknown): { status: number; message: string } {
  if (error instanceof FieldValidationException) {
    const { errors } = error.getResponse() as { errors: FieldError[] };
    return { status: 400, message: errors.map((e) => e.message).join('; ') };
  }
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : error.message;
    return { status: error.getStatus(), message: Array.isArray(message) ? message.join('; ') : String(message) };
  }
  if (error instanceof CampaignError) return { status: CAMPAIGN_STATUS[error.code], message: error.message };
  if (error instanceof ExperimentError) {
    return {
      status: error.code === 'experiments.not-found' ? 404 : 400,
      message: error.problems.map((p) => p.message).join('; '),
    };
  }
  return { status: 500, message: 'Something went wrong on the server; the error is in its log.' };
}

/**
 * Errors of console pages as pages: a missing or refused session becomes a 303 to sign-in (and a
 * refused cookie is deleted), anything else an HTML page with the status and a readable message.
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ConsoleExceptionFilter.name);

  constructor(
    private readonly views: ConsoleViews,
    private readonly cookies: SessionCookies,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host
      .switchToHttp()
      .getRequest<IncomingMessage & { consoleSession?: { keyName: string; csrf: string } }>();
    const res = host.switchToHttp().getResponse<ServerResponse>();
    if (error instanceof SignInRequired) {
      if (error.refused) this.cookies.clear(req, res, SESSION_COOKIE);
      res.statusCode = 303;
      res.setHeader('Location', `/console/sign-in?next=${encodeURIComponent(error.returnTo)}`);
      res.setHeader('Cache-Control', 'no-store');
      res.end();
      return;
    }
    const { status, message } = describe(error);
    if (status >= 500) this.logger.error(`console page ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
    const session = req.consoleSession;
    setPageHeaders(res);
    res.statusCode = status;
    res.end(this.views.render('error', { title: `Error ${status}`, session }, { status, message }));
  }
}
