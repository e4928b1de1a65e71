import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { DependencyUnavailableError } from '../errors/dependency-unavailable.error';

/** 503 with Retry-After, in the API's JSON error shape, for any request that needs an unreachable server. */
@Catch(DependencyUnavailableError)
export class DependencyUnavailableFilter implements ExceptionFilter {
  catch(error: DependencyUnavailableError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const body = { statusCode: 503, error: 'Service Unavailable', message: error.message };
    response.writeHead(503, {
      'Content-Type': 'application/json; charset=utf-8',
      'Retry-After': String(error.retryAfterSeconds),
    });
    response.end(JSON.stringify(body));
  }
}
