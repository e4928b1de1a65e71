import { integer, oneOf } from './parsers';
import { defineNamespace, setting } from './setting';

export const APP_ROLES = ['api', 'worker', 'scheduler', 'all'] as const;
export type AppRole = (typeof APP_ROLES)[number];
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

export const appNamespace = defineNamespace('app', {
  env: setting('NODE_ENV', oneOf(['development', 'production', 'test']), 'Runtime environment.'),
  role: setting('APP_ROLE', oneOf(APP_ROLES), 'Which process role to run: api, worker, scheduler or all.'),
  host: setting('HOST', oneOf(['0.0.0.0', '127.0.0.1', '::', '::1']), 'Interface the HTTP API listens on.'),
  port: setting('PORT', integer(0, 65535), 'HTTP port of the API role (0 picks a free port).'),
  opsPort: setting(
    'OPS_PORT',
    integer(0, 65535),
    'Port where the worker and scheduler roles serve /health and /metrics (0: none).',
  ),
  logFormat: setting('LOG_FORMAT', oneOf(['text', 'json']), 'Log output; use json in production.'),
  logLevel: setting('LOG_LEVEL', oneOf(LOG_LEVELS), 'Most verbose level that is printed.'),
  shutdownTimeoutMs: setting(
    'SHUTDOWN_TIMEOUT_MS',
    integer(100, 600_000),
    'How long a stopping process waits for in-flight requests and jobs.',
  ),
});
