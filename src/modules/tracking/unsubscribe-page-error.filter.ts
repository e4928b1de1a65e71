import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { FieldValidationException } from '../../common/http/field-errors';
import { FieldError } from '../../lib/validation/field-error';
import { pickLocale } from './domain/page-text';
import { renderUnsubscribePage } from './domain/unsubscribe-page';
import { sendPage } from './tracking-responses';

/**
 * A 400 naming a field on an unsubscribe link (`lang` or a form field given twice) as the page's own
 * "incomplete request" page, in the browser's language: a person reads it, and nothing was changed.
 */
@Catch(FieldValidationException)
export class UnsubscribePageErrorFilter implements ExceptionFilter {
  catch(error: FieldValidationException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<IncomingMessage>();
    const { errors } = error.getResponse() as { errors: FieldError[] };
    const page = renderUnsubscribePage(
      { state: 'bad-request', field: errors[0]?.field || 'body' },
      pickLocale(undefined, req.headers['accept-language']),
    );
    sendPage(host.switchToHttp().getResponse<ServerResponse>(), page);
  }
}
