import { IncomingMessage, ServerResponse } from 'node:http';
import { match } from 'path-to-regexp';
import { FieldValidationException } from './field-errors';

type Matcher = (path: string) => false | { params: Partial<Record<string, string | string[]>> };

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** The first parameter of a route matching `path` whose raw value does not decode, or undefined. */
function undecodableParam(matchers: Matcher[], path: string): string | undefined {
  for (const matches of matchers) {
    const found = matches(path);
    if (!found) continue;
    const bad = Object.entries(found.params).find(([, raw]) => [raw ?? []].flat().some((part) => !decodes(part)));
    if (bad) return bad[0];
  }
  return undefined;
}

/**
 * Express middleware, first in the stack: a path whose percent-escapes are not UTF-8 (`/v1/users/%FF%FE`)
 * is a 400 in the API's format naming the route parameter it falls in (`path` when no route matches),
 * instead of the router's "Failed to decode param". `routePaths` lists the app's routes once they exist.
 * Under an `opaque` prefix (links whose last part is a signed token, such as `/t/`), the path goes on with
 * its `%` written as `%25`: the route gets the text as it came, a token it does not know, and answers it as
 * any other (a tracking pixel, a 404 page) rather than with the API's JSON.
 */
export function refuseUndecodablePaths(routePaths: () => string[], opaque: readonly string[] = []) {
  let matchers: Matcher[] | undefined;
  return (req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void => {
    const [path, ...query] = (req.url ?? '/').split('?');
    if (!path.includes('%') || decodes(path)) return next();
    if (opaque.some((prefix) => path.startsWith(prefix))) {
      req.url = [path.replaceAll('%', '%25'), ...query].join('?');
      return next();
    }
    matchers ??= routePaths().map((route) => match(route, { decode: false }) as Matcher);
    const field = undecodableParam(matchers, path) ?? 'path';
    next(new FieldValidationException([{ field, message: `${field} is not valid percent-encoded UTF-8` }]));
  };
}
