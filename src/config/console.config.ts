import { withDefault } from './llm.config';
import { integer, oneOf, optional } from './parsers';
import { defineNamespace, setting } from './setting';
import { signingKeys } from './tracking.config';

/** The web console's sign-in: session cookie keys, lifetime and transport. */
export const consoleNamespace = defineNamespace('console', {
  sessionKeys: setting(
    'CONSOLE_SESSION_KEYS',
    optional(signingKeys()),
    'Comma-separated kid:secret HMAC keys for console session cookies; the first signs, all verify. Unset: a key per process outside production (sessions end on restart), console sign-in off in production.',
  ),
  sessionTtlMinutes: setting(
    'CONSOLE_SESSION_TTL_MINUTES',
    withDefault(integer(5, 7 * 24 * 60), 480),
    'How long a console session lasts after sign-in; it is never extended.',
  ),
  secureCookie: setting(
    'CONSOLE_SECURE_COOKIE',
    withDefault(oneOf(['auto', 'always', 'never']), 'auto'),
    'Secure flag of the session cookie: auto sets it when the request arrived over https (directly or X-Forwarded-Proto).',
  ),
});
