import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IncomingMessage } from 'node:http';
import { Observable } from 'rxjs';
import { FORM_BODY, FormBodyOptions, readFormBody } from './form-body';
import { readJsonBody } from './json-body';

/**
 * The API's only body parser. As an interceptor it runs after the guards, so a request is
 * authenticated, authorized and rate limited before its body is read: anonymous clients can neither
 * probe validation nor make the server parse a megabyte. Nest's own body parser is off. Bodies are
 * JSON, except on routes marked `@FormBody()` (small HTML forms), which accept only forms.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<IncomingMessage & { body?: unknown }>();
      const form = this.reflector.get<FormBodyOptions | undefined>(FORM_BODY, context.getHandler());
      request.body = form ? await readFormBody(request, form) : await readJsonBody(request);
    }
    return next.handle();
  }
}
