import { withDefault } from './llm.config';
import { boolean, integer, optional, text, url } from './parsers';
import { defineNamespace, setting } from './setting';

export const redisNamespace = defineNamespace('redis', {
  url: setting(
    'REDIS_URL',
    optional(url(['redis:', 'rediss:'])),
    'Redis for queues and rate limits. Unset: the Redis a running app recorded in MONGO_DATA_DIR, 127.0.0.1:6379, or a private redis-server.',
  ),
  prefix: setting('REDIS_PREFIX', text(), 'Key prefix for queues and rate-limit counters.'),
  autostart: setting(
    'REDIS_AUTOSTART',
    boolean(),
    'Whether an unset REDIS_URL may start a private redis-server child process.',
  ),
  commandTimeoutMs: setting(
    'REDIS_COMMAND_TIMEOUT_MS',
    withDefault(integer(50, 60_000), 1000),
    'How long a rate-limit or health command waits for Redis before Redis counts as unreachable.',
  ),
});
