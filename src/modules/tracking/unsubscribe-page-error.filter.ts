import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { IncomingMessage, ServerResponse } from 'node:http';
import { FieldValidationException } from '../../common/http/field-errors';
import { FieldError } from '../../lib/validation/field-error';
import { pickLocale } from './domain/page-text';
import { renderUnsubscribePage, UnsubscribePage } from './domain/unsubscribe-page';
import { answersWithPage } from './domain/unsubscribe-request';
import { sendPage } from './tracking-responses';

type BodyError =
  FieldValidationException | UnsupportedMediaTypeException | PayloadTooLargeException | BadRequestException;

/** The page for a refused request, or undefined when the client keeps the API's JSON error. */
function pageFor(error: BodyError, req: IncomingMessage): UnsubscribePage | undefined {
  // A 400 naming a field (`lang`, a form field given twice) is the page's own, whoever asks.
  if (error instanceof FieldValidationException) {
    const { errors } = error.getResponse() as { errors: FieldError[] };
    return { state: 'bad-request', field: errors[0]?.field || 'body' };
  }
  const fetchDest = req.headers['sec-fetch-dest'];
  const accept = req.headers.accept;
  if (!answersWithPage({ ...(accept && { accept }), ...(typeof fetchDest === 'string' && { fetchDest }) })) {
    return undefined;
  }
  if (error instanceof UnsupportedMediaTypeException) return { state: 'unreadable', problem: 'type' };
  if (error instanceof PayloadTooLargeException) return { state: 'unreadable', problem: 'size' };
  return { state: 'unreadable', problem: 'damaged' };
}

/**
 * Refusals on an unsubscribe link as the page's own pages, in the browser's language: a 400 naming a field
 * (`lang` or a form field given twice) as its "incomplete request" page, and a form body it could not read
 * (415, 413, a malformed body's 400) as a page saying so, for a person's browser; a one-click POST or a
 * client asking for JSON gets the API's JSON error. Nothing was changed in either case.
 */
@Catch(FieldValidationException, UnsupportedMediaTypeException, PayloadTooLargeException, BadRequestException)
export class UnsubscribePageErrorFilter extends BaseExceptionFilter {
  override catch(error: BodyError, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<IncomingMessage>();
    const page = pageFor(error, req);
    if (!page) return super.catch(error, host);
    const locale = pickLocale(undefined, req.headers['accept-language']);
    sendPage(host.switchToHttp().getResponse<ServerResponse>(), renderUnsubscribePage(page, locale));
  }
}
