import { createHash } from 'node:crypto';

/** Email addresses are compared trimmed and lower-cased: mailbox providers treat them so in practice. */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * The key a suppressed address is stored under: a SHA-256 of the normalized address. The list can say
 * whether an address is suppressed without holding the address, so it can outlive the user's erasure.
 */
export function addressKey(address: string): string {
  return createHash('sha256')
    .update(`journeycast-suppression:${normalizeAddress(address)}`)
    .digest('hex');
}

/** The domain of an address (kept beside the key, for deliverability reports by domain). */
export function addressDomain(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  return at === -1 ? undefined : normalizeAddress(address.slice(at + 1)) || undefined;
}
