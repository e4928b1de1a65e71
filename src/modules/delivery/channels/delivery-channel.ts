import type { DeliveryReceipt, OutboundMessage, ProviderName } from '../domain/outbound-message';

/**
 * The port every transport implements. `send` resolves with the provider's receipt once the
 * provider has accepted the message, and rejects only with a `DeliveryError` (retryable or
 * permanent, with the recipient action); it never retries by itself: retries belong to the job,
 * which records each attempt first.
 */
export interface DeliveryChannel {
  readonly provider: ProviderName;
  send(message: OutboundMessage): Promise<DeliveryReceipt>;
  /** Releases pooled connections; called once at shutdown. */
  close(): Promise<void>;
}

/** What every channel gets besides its own settings: a clock for receipts, and extra trusted CAs (tests). */
export interface ChannelContext {
  now: () => Date;
  timeoutMs: number;
  /** PEM certificates to trust instead of the system store (loopback fakes in tests); unset in production. */
  ca?: string;
}
