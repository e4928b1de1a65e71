import { parseSigningKeys, SigningKey, SigningKeyError } from '../modules/tracking/domain/signing-keys';
import { withDefault } from './llm.config';
import { ConfigError, optional, Parser, text } from './parsers';
import { defineNamespace, setting } from './setting';

/** `kid:secret,kid:secret`; the error names the variable and the key id, never a secret. */
function signingKeys(): Parser<SigningKey[]> {
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

/** Keys of the signed tracking links (open pixel, clicks, push opens, unsubscribe). */
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
});
