import { Injectable, Logger } from '@nestjs/common';
import { MetricsRegistry } from '../../common/metrics/metrics.registry';
import { DeliveryError } from './domain/delivery-error';
import type { ProviderName } from './domain/outbound-message';
import {
  TOKEN_REMOVAL_MAX_SHARE,
  TOKEN_REMOVAL_MIN_REFUSALS,
  TOKEN_REMOVAL_WINDOW_MS,
  TokenRefusalWindow,
} from './domain/token-refusal-window';

/**
 * Guards users' push tokens against our own settings. A refusal that blames a setting (`delivery.misconfigured`)
 * never removes a token and is logged once per provider and reason. A refusal that may be a dead token or a
 * setting (`ambiguousToken`: APNs BadDeviceToken, which a wrong APNS_URL gets for every token) removes its token
 * only while such refusals are a small share of the provider's recent answers in this process
 * (`TokenRefusalWindow`): past it, the messages fail and the tokens stay, logged and counted.
 */
@Injectable()
export class TokenRemovalValve {
  private readonly logger = new Logger(TokenRemovalValve.name);
  private readonly windows = new Map<ProviderName, TokenRefusalWindow>();
  private readonly closed = new Set<ProviderName>();
  private readonly reported = new Set<string>();
  private readonly kept;
  private readonly misconfigured;

  constructor(metrics: MetricsRegistry) {
    this.kept = metrics.counter(
      'journeycast_delivery_tokens_kept_total',
      'Push tokens a provider refused but kept, since such refusals were too large a share of its answers',
      ['provider', 'providerCode'],
    );
    this.misconfigured = metrics.counter(
      'journeycast_delivery_misconfigured_total',
      'Sends a provider refused for one of our settings (the token is kept)',
      ['provider', 'providerCode', 'setting'],
    );
  }

  /** Counts a provider's answer to one send: an acceptance, or a refusal (`error`) it gave with a status. */
  record(provider: ProviderName, error?: DeliveryError): void {
    if (provider !== 'apns' && provider !== 'fcm' && provider !== 'webpush') return;
    if (error && error.status === undefined) return; // no answer from the provider: the road, not the token
    if (error?.code === 'delivery.misconfigured') this.reportMisconfigured(provider, error);
    let window = this.windows.get(provider);
    if (!window) this.windows.set(provider, (window = new TokenRefusalWindow()));
    window.record(Date.now(), error?.ambiguousToken === true);
  }

  /** Whether the token `error` refused may be removed from the user now. */
  mayRemove(error: DeliveryError): boolean {
    if (error.action !== 'remove-token') return false;
    if (!error.ambiguousToken) return true;
    const window = this.windows.get(error.provider);
    const now = Date.now();
    if (!window || window.allowsRemoval(now)) {
      if (this.closed.delete(error.provider)) {
        this.logger.warn({ message: 'push token removals resumed', provider: error.provider, ...window?.counts(now) });
      }
      return true;
    }
    this.kept.inc({ provider: error.provider, providerCode: error.providerCode ?? '' });
    if (!this.closed.has(error.provider)) {
      this.closed.add(error.provider);
      this.logger.error({
        message:
          `push token removals stopped: more than ${TOKEN_REMOVAL_MAX_SHARE * 100}% of ${error.provider}'s answers ` +
          `in ${TOKEN_REMOVAL_WINDOW_MS / 60_000} minutes (at least ${TOKEN_REMOVAL_MIN_REFUSALS}) refuse the token ` +
          `with ${error.providerCode}; check ${error.setting ?? 'the provider settings'}. The messages fail and the tokens stay.`,
        provider: error.provider,
        providerCode: error.providerCode,
        setting: error.setting,
        ...window.counts(now),
      });
    }
    return false;
  }

  private reportMisconfigured(provider: ProviderName, error: DeliveryError): void {
    this.misconfigured.inc({ provider, providerCode: error.providerCode ?? '', setting: error.setting ?? '' });
    const key = `${provider}|${error.providerCode}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.logger.error({
      message: `${provider} refuses sends for one of our settings: check ${error.setting}. The tokens are kept.`,
      provider,
      providerCode: error.providerCode,
      setting: error.setting,
    });
  }
}
