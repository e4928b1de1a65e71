import type { OutboundMessage, ProviderName } from './outbound-message';

/** Which transport each kind of message takes in this deployment (the `delivery` settings). */
export interface ChannelSelection {
  email: 'outbox' | 'smtp';
  push: 'outbox' | 'providers';
  webhook: 'outbox' | 'http';
}

/** The provider a message leaves through: push by its token's platform, the rest by the selection. */
export function providerFor(message: OutboundMessage, selection: ChannelSelection): ProviderName {
  switch (message.channel) {
    case 'email':
      return selection.email;
    case 'push':
      return selection.push === 'outbox' ? 'outbox' : message.to.platform;
    case 'webhook':
      return selection.webhook === 'outbox' ? 'outbox' : 'webhook';
  }
}
