import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config';
import type { DeliverySettings } from '../../../src/config/delivery.config';
import { createChannels } from '../../../src/modules/delivery/channels/channel-factory';
import type { DeliveryChannel } from '../../../src/modules/delivery/channels/delivery-channel';
import { DeliveryError } from '../../../src/modules/delivery/domain/delivery-error';
import type { ProviderName } from '../../../src/modules/delivery/domain/outbound-message';
import { testCertificate } from '../../setup/tls';

/** The `delivery` settings as the app would load them from these variables (test environment). */
export function deliverySettings(env: Record<string, string>): DeliverySettings {
  return loadConfig({ NODE_ENV: 'test', ...env }).delivery;
}

/** The channel of `provider`, built by the module's own factory, trusting the test certificate. */
export async function buildChannel(
  provider: ProviderName,
  env: Record<string, string>,
  now: () => Date = () => new Date(),
): Promise<DeliveryChannel> {
  const channels = await createChannels(deliverySettings(env), { now, timeoutMs: 2000, ca: testCertificate().cert });
  const channel = channels.get(provider);
  if (!channel) throw new Error(`no ${provider} channel for ${JSON.stringify(env)}`);
  for (const [name, other] of channels) if (name !== provider) await other.close();
  return channel;
}

/** A scratch folder removed by the returned cleanup. */
export function scratchDir(prefix: string): {
  dir: string;
  file(name: string, content: string): string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), `jc-${prefix}-`));
  return {
    dir,
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The DeliveryError `promise` rejects with (fails the test when it resolves or throws anything else). */
export async function deliveryError(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeliveryError) return error;
    throw error;
  }
  throw new Error('expected the send to fail');
}
