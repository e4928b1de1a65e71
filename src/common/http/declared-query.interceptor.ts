import { CallHandler, ExecutionContext, Injectable, NestInterceptor, Type } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { getMetadataStorage } from 'class-validator';
import { IncomingMessage } from 'node:http';
import { Observable } from 'rxjs';
import { FieldError } from '../../lib/validation/field-error';
import { FieldValidationException } from './field-errors';

/** The query parameters a route declares; `'any'` for a whole query read without a DTO. */
type Declared = ReadonlySet<string> | 'any';

const QUERY_PARAMETER = String(RouteParamtypes.QUERY);

/**
 * The query rule of the JSON API (`/v1`): a route takes only the query parameters it declares, with
 * `@Query('name')` or a `@Query()` DTO, each at most once. Any other (`?dryRun=true` where there is no dry
 * run), or one given twice, is a 400 naming it before the route does anything, so an option a client
 * thought would count is never silently ignored. Tracking links, console pages and operations endpoints
 * are outside `/v1`: mail clients append parameters to links, and those must keep working.
 */
@Injectable()
export class DeclaredQueryInterceptor implements NestInterceptor {
  private readonly routes = new WeakMap<object, Declared | null>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const declared = this.declared(context);
      if (declared) refuseUndeclared(context.switchToHttp().getRequest<IncomingMessage>(), declared);
    }
    return next.handle();
  }

  /** What the route declares, or null for a route outside `/v1`. */
  private declared(context: ExecutionContext): Declared | null {
    const handler = context.getHandler();
    let declared = this.routes.get(handler);
    if (declared === undefined) {
      declared = isApiController(context.getClass()) ? declaredQuery(context.getClass(), handler.name) : null;
      this.routes.set(handler, declared);
    }
    return declared;
  }
}

function isApiController(controller: object): boolean {
  const paths = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined].flat();
  return paths.some((path) => typeof path === 'string' && /^\/?v1(?:\/|$)/.test(path));
}

/** The names read by the handler's `@Query` parameters: each one named, and every validated field of a DTO. */
function declaredQuery(controller: Type, method: string): Declared {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? []) as unknown[];
  const names = new Set<string>();
  for (const [key, { index, data }] of Object.entries(args)) {
    if (key.split(':')[0] !== QUERY_PARAMETER) continue;
    if (typeof data === 'string') {
      names.add(data);
      continue;
    }
    const type = types[index];
    if (typeof type !== 'function' || type === Object) return 'any';
    for (const { propertyName } of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) {
      names.add(propertyName);
    }
  }
  return names;
}

/** Refuses, naming each, the parameters the route does not declare and those given more than once. */
function refuseUndeclared(request: IncomingMessage, declared: Declared): void {
  const url = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '';
  const start = url.indexOf('?');
  if (start < 0) return;
  const seen = new Set<string>();
  const errors = new Map<string, FieldError>();
  for (const name of new URLSearchParams(url.slice(start + 1)).keys()) {
    if (errors.has(name)) continue;
    if (declared !== 'any' && !declared.has(name)) {
      errors.set(name, { field: name, message: `query parameter ${name} is not accepted here` });
    } else if (seen.has(name)) {
      errors.set(name, { field: name, message: `query parameter ${name} must be given once` });
    }
    seen.add(name);
  }
  if (errors.size > 0) throw new FieldValidationException([...errors.values()]);
}
