import { DiscoveryService } from '@nestjs/core';
import Bull, { Queue } from 'bull';

/** Every Bull queue the app registered, once each. */
export function bullQueues(discovery: DiscoveryService): Queue[] {
  const found = discovery
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is Queue => instance instanceof Bull);
  return [...new Set(found)];
}
