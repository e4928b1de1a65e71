import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { Observable } from 'rxjs';
import { readJsonBody } from './json-body';

/**
 * The API's only body parser. As an interceptor it runs after the guards, so a request is
 * authenticated, authorized and rate limited before its body is read: anonymous clients can neither
 * probe validation nor make the server parse a megabyte. Nest's own body parser is off.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<IncomingMessage & { body?: unknown }>();
      request.body = await readJsonBody(request);
    }
    return next.handle();
  }
}
