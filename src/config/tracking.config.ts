import { LinkHostsError, parseLinkHosts } from '../modules/tracking/domain/link-hosts';
import { parseSigningKeys, SigningKey, SigningKeyError } from '../modules/tracking/domain/signing-keys';
import { withDefault } from './llm.config';
import { ConfigError, cron, integer, optional, Parser, text, url } from './parsers';
import { defineNamespace, NamespaceValues, setting } from './setting';

/** `kid:secret,kid:secret`; the error names the variable and the key id, never a secret. */
export function signingKeys(): Parser<SigningKey[]> {
  return (raw, variable) => {
    try {
      return parseSigningKeys(text()(raw, variable));
    } catch (error) {
      if (error instanceof SigningKeyError) {
        throw new ConfigError(`Invalid configuration: ${variable} ${error.message}`);
      }
      throw error;
    }
  };
}

/** `shop.example.com,*.example.com`; the error names the variable and the entry that is no host name. */
function linkHosts(): Parser<string[]> {
  return (raw, variable) => {
    try {
      return parseLinkHosts(text()(raw, variable));
    } catch (error) {
      if (error instanceof LinkHostsError) throw new ConfigError(`Invalid configuration: ${variable} ${error.message}`);
      throw error;
    }
  };
}

/** An http(s) origin with an optional path prefix, without query or fragment; the trailing slash is dropped. */
function baseUrl(): Parser<string> {
  return (raw, variable) => {
    const value = url(['http:', 'https:'])(raw, variable);
    const parsed = new URL(value);
    if (parsed.search || parsed.hash || parsed.username || parsed.password) {
      throw new ConfigError(`Invalid configuration: ${variable} must be a base URL without credentials, query or #`);
    }
    return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  };
}

/** Keys of the signed tracking links, the public address they point at, and how engagement is read. */
export const trackingNamespace = defineNamespace('tracking', {
  signingKeys: setting(
    'TRACKING_SIGNING_KEYS',
    optional(signingKeys()),
    'Comma-separated kid:secret HMAC keys; the first signs, all verify. Required in production.',
  ),
  devKeyFile: setting(
    'TRACKING_DEV_KEY_FILE',
    withDefault(text(), './data/tracking-signing-key'),
    'Outside production, where a key is generated once when TRACKING_SIGNING_KEYS is unset.',
  ),
  publicBaseUrl: setting(
    'PUBLIC_BASE_URL',
    withDefault(baseUrl(), 'http://localhost:3000'),
    'Public https address of the API role that tracking links point at. Required (https) in production.',
  ),
  linkHosts: setting(
    'TRACKING_LINK_HOSTS',
    optional(linkHosts()),
    'Comma-separated hosts (and *.domain wildcards) tracked links may lead to; unset, a click redirects to any URL.',
  ),
  conversionWindowHours: setting(
    'TRACKING_CONVERSION_WINDOW_HOURS',
    withDefault(integer(1, 24 * 90), 72),
    "A conversion is attributed to the user's last notification sent at most this long before it.",
  ),
  pendingConversionsCron: setting(
    'TRACKING_PENDING_CONVERSIONS_CRON',
    withDefault(cron(), '*/5 * * * *'),
    'When the scheduled job finishes conversions whose report failed after they were stored (pending 5 minutes or more).',
  ),
  machineWindowSeconds: setting(
    'TRACKING_MACHINE_WINDOW_SECONDS',
    withDefault(integer(0, 3600), 10),
    'Email opens and clicks this soon after sending are counted as machine (prefetch, scanners).',
  ),
  proxyHops: setting(
    'TRACKING_PROXY_HOPS',
    withDefault(integer(0, 10), 0),
    'Reverse proxies in front of the API: the client address is read this far from the right of X-Forwarded-For.',
  ),
});

export type TrackingSettings = NamespaceValues<typeof trackingNamespace.specs>;

/** Production links must be https: RFC 8058 one-click unsubscribe requires it, and tokens must not travel in clear. */
export function checkTrackingProduction(tracking: TrackingSettings): void {
  if (!tracking.signingKeys) {
    // A generated development key would differ per machine, breaking links sent from another replica.
    throw new ConfigError('Invalid configuration: TRACKING_SIGNING_KEYS is required when NODE_ENV=production');
  }
  if (!tracking.publicBaseUrl.startsWith('https://')) {
    throw new ConfigError('Invalid configuration: PUBLIC_BASE_URL must be an https URL when NODE_ENV=production');
  }
}
