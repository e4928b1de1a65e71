import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService } from '@nestjs/core';
import { REQUIRED_SCOPE } from '../../src/modules/access/api-key.guard';
import { SCOPES, Scope } from '../../src/modules/access/domain/api-key';
import { TestApp, useTestApp } from './support/test-app';

/** /v1 routes that take no API key because a signed token in the request authorizes them. */
const SIGNED_TOKEN_ROUTES = ['POST /v1/track/push-open'];

interface DeclaredRoute {
  route: string;
  method: string;
  /** The path with every parameter filled in. */
  path: string;
  scope?: Scope;
}

/** Every route of the app's controllers, as declared, with the scope its @Auth() requires. */
function declaredRoutes(t: TestApp): DeclaredRoute[] {
  const join = (...parts: string[]) =>
    `/${parts
      .flatMap((p) => p.split('/'))
      .filter(Boolean)
      .join('/')}`;
  return t.app
    .get(DiscoveryService)
    .getControllers()
    .flatMap(({ metatype }) => {
      if (!metatype) return [];
      const base = [Reflect.getMetadata(PATH_METADATA, metatype) as string | string[]].flat();
      const proto = metatype.prototype as Record<string, unknown>;
      // Handlers a controller inherits are routes of its own too.
      const names = new Set<string>();
      for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
        for (const name of Object.getOwnPropertyNames(p)) names.add(name);
      }
      return [...names].flatMap((name) => {
        const handler = proto[name];
        if (typeof handler !== 'function' || name === 'constructor') return [];
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) return [];
        const paths = [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat();
        const scope = (Reflect.getMetadata(REQUIRED_SCOPE, handler) ??
          Reflect.getMetadata(REQUIRED_SCOPE, metatype)) as Scope | undefined;
        return base.flatMap((b) =>
          paths.map((p) => {
            const route = join(b, p);
            const path = route.replace(/(?<!\\):[A-Za-z]\w*/g, 'p1').replace(/\\:/g, ':');
            return { route: `${RequestMethod[method]} ${route}`, method: RequestMethod[method], path, scope };
          }),
        );
      });
    });
}

describe('scopes of the /v1 routes', () => {
  const f = useTestApp({ database: 'route_scopes' });
  let routes: DeclaredRoute[];
  beforeAll(() => {
    routes = declaredRoutes(f.t).filter((r) => r.path.startsWith('/v1/'));
  });

  it('finds the routes of every controller', () => {
    expect(routes.map((r) => r.route)).toEqual(
      expect.arrayContaining([
        'POST /v1/events',
        'DELETE /v1/keys/:keyId',
        'POST /v1/campaigns/:campaignId\\:activate',
      ]),
    );
    expect(routes.length).toBeGreaterThan(30);
  });

  it('knows every /v1 route Express serves, however it was declared', () => {
    const express = f.t.app.getHttpAdapter().getInstance() as {
      router: { stack: Array<{ route?: { path?: unknown; methods?: Record<string, boolean> } }> };
    };
    const served = express.router.stack.flatMap(({ route }) =>
      typeof route?.path === 'string' && route.path.startsWith('/v1/')
        ? Object.keys(route.methods ?? {}).map((m) => `${m.toUpperCase()} ${route.path as string}`)
        : [],
    );
    expect(served.length).toBeGreaterThan(30);
    expect(served.filter((r) => !routes.some((d) => d.route === r)).sort()).toEqual([]);
  });

  it('declares a scope on every /v1 route but those a signed token authorizes', () => {
    const undeclared = routes.filter((r) => !r.scope).map((r) => r.route);
    expect(undeclared.sort()).toEqual(SIGNED_TOKEN_ROUTES);
    for (const { scope } of routes) if (scope) expect(SCOPES).toContain(scope);
  });

  it('answers every keyed /v1 route with a 401 without a key, and every admin route with a 403 to an ingest key', async () => {
    const keyed = routes.filter((r) => r.scope);
    const answers: string[] = [];
    const expected: string[] = [];
    for (const { route, method, path, scope } of keyed) {
      const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'delete' | 'patch';
      const anonymous = await f.t.http()[verb](path);
      const withIngest = await f.t.http()[verb](path).set('Authorization', `Bearer ${f.ingest}`);
      answers.push(`${route}: ${anonymous.status} ${withIngest.status === 403 ? 403 : 'not 403'}`);
      expected.push(`${route}: 401 ${scope === 'admin' ? 403 : 'not 403'}`);
    }
    expect(answers).toEqual(expected);
    expect(keyed.filter((r) => r.scope === 'ingest').map((r) => r.route)).toEqual(
      expect.arrayContaining(['POST /v1/events', 'PUT /v1/users/:userId', 'POST /v1/conversions']),
    );
  });
});
