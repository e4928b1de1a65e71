import { withDefault } from './llm.config';
import { integer, oneOf } from './parsers';
import { defineNamespace, setting } from './setting';

export const accessNamespace = defineNamespace('access', {
  rateLimitRequests: setting(
    'RATE_LIMIT_REQUESTS',
    integer(1, 10_000_000),
    'Requests one API key may make per window, shared by all replicas.',
  ),
  rateLimitWindowMs: setting('RATE_LIMIT_WINDOW_MS', integer(100, 86_400_000), 'Length of the rate-limit window.'),
  rateLimitFailureMode: setting(
    'RATE_LIMIT_FAILURE_MODE',
    withDefault(oneOf(['open', 'closed']), 'open'),
    'While Redis is unreachable: open counts each key in process memory, closed answers 503 with Retry-After.',
  ),
});
