import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IncomingMessage, ServerResponse } from 'node:http';
import { AccessService } from './access.service';
import { ApiKey, Scope, parseBearer, scopeAllows } from './domain/api-key';
import { RateLimiter } from './rate-limiter';

export const REQUIRED_SCOPE = 'access:required-scope';

export type AuthenticatedRequest = IncomingMessage & { apiKey?: ApiKey };

/** How many times a header is given in a request's raw [name, value, ...] list. */
function countHeader(rawHeaders: string[], name: string): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === name) count++;
  return count;
}

/** Authenticates the Bearer key, counts the request against the key's limit, then checks its scope. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<Scope | undefined>(REQUIRED_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    // Node keeps only the first of several Authorization headers; a proxy may read another, so none is chosen.
    if (countHeader(request.rawHeaders, 'authorization') > 1) {
      throw new UnauthorizedException('Send one Authorization header, not several');
    }
    const { authorization } = request.headers;
    const token = parseBearer(authorization);
    if (!token) {
      throw new UnauthorizedException(
        authorization?.trim()
          ? 'The Authorization header holds no Journeycast API key: send "Authorization: Bearer jc_..." with the whole key as it was created'
          : 'Send an API key as "Authorization: Bearer jc_..."',
      );
    }
    const key = await this.access.authenticate(token);
    if (!key) throw new UnauthorizedException('Unknown, revoked or expired API key');
    // Counted before the scope check, so requests a key may not make are held to its limit as well.
    const decision = await this.limiter.hit(key.keyId, key.rateLimit);
    const response = http.getResponse<ServerResponse>();
    response.setHeader('RateLimit-Limit', decision.limit);
    response.setHeader('RateLimit-Remaining', decision.remaining);
    if (!decision.allowed) {
      const retryAfter = Math.max(1, Math.ceil(decision.resetMs / 1000));
      response.setHeader('Retry-After', retryAfter);
      throw new HttpException(
        { statusCode: 429, error: 'Too Many Requests', message: `Rate limit exceeded; retry in ${retryAfter}s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    if (!scopeAllows(key.scopes, required)) {
      throw new ForbiddenException(`This API key lacks the ${required} scope`);
    }
    request.apiKey = key;
    return true;
  }
}
