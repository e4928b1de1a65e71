import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Reflector } from '@nestjs/core';
import { IncomingMessage } from 'node:http';
import { Observable } from 'rxjs';
import { FORM_BODY, FormBodyOptions, readFormBody } from './form-body';
import { FieldValidationException } from './field-errors';
import { readJsonBody } from './json-body';

const BODY_PARAMETERS = new Set([String(RouteParamtypes.BODY), String(RouteParamtypes.RAW_BODY)]);

/**
 * The API's only body parser. As an interceptor it runs after the guards, so a request is
 * authenticated, authorized and rate limited before its body is read: anonymous clients can neither
 * probe validation nor make the server parse a megabyte. Nest's own body parser is off. Bodies are
 * JSON, except on routes marked `@FormBody()` (small HTML forms), which accept only forms. A route without a
 * `@Body()` parameter takes no body: one sent anyway is refused (an empty object is no body), so a field a
 * client thought would count (`{"force": true}`) is never silently ignored.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<IncomingMessage & { body?: unknown }>();
      const form = this.reflector.get<FormBodyOptions | undefined>(FORM_BODY, context.getHandler());
      request.body = form ? await readFormBody(request, form) : await readJsonBody(request);
      if (!form && !this.takesBody(context)) refuseBody(request.body);
    }
    return next.handle();
  }

  private readonly bodies = new WeakMap<object, boolean>();

  /** Whether the route's handler reads the body (a `@Body()` parameter). */
  private takesBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let takes = this.bodies.get(handler);
    if (takes === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as object;
      takes = Object.keys(args).some((key) => BODY_PARAMETERS.has(key.split(':')[0]));
      this.bodies.set(handler, takes);
    }
    return takes;
  }
}

/** Refuses a body sent to a route that takes none, naming its fields; none, or `{}`, passes. */
function refuseBody(body: unknown): void {
  if (body === undefined) return;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const fields = Object.keys(body);
    if (fields.length === 0) return;
    throw new FieldValidationException(
      fields.map((field) => ({ field, message: `${field}: this request takes no body` })),
    );
  }
  throw new FieldValidationException([{ field: 'body', message: 'this request takes no body' }]);
}
