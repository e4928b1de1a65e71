import { integer } from './parsers';
import { defineNamespace, setting } from './setting';

export const accessNamespace = defineNamespace('access', {
  rateLimitRequests: setting(
    'RATE_LIMIT_REQUESTS',
    integer(1, 10_000_000),
    'Requests one API key may make per window, shared by all replicas.',
  ),
  rateLimitWindowMs: setting('RATE_LIMIT_WINDOW_MS', integer(100, 86_400_000), 'Length of the rate-limit window.'),
});
