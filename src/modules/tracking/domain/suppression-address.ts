import { createHash } from 'node:crypto';
import { domainToASCII, domainToUnicode } from 'node:url';

/**
 * An address as the list matches it: trimmed and lower-cased (mailbox providers treat addresses so in practice),
 * its domain written as DNS and mailers write it (UTS-46 to ASCII, as browsers do: NFC, fullwidth letters and dots
 * mapped, `xn--` labels), so `ana@exämple.com`, its NFD spelling and `ana@xn--exmple-cua.com` are one address. A
 * domain UTS-46 refuses (an IP literal, a bad `xn--` label) is kept lower-cased as written.
 */
export function normalizeAddress(address: string): string {
  const { local, domain } = parts(address);
  return domain === undefined ? local : `${local}@${asciiDomain(domain)}`;
}

/**
 * The address as email is sent to it: the local part exactly as written, the domain in the form
 * {@link normalizeAddress} matches (so `cy@exa\u0308mple.com` goes to `cy@xn--exmple-cua.com`, the domain its
 * NFC spelling names, not to the `xn--example-hie.com` of its letters as written).
 */
export function sendingAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1 ? address : `${address.slice(0, at)}@${asciiDomain(address.slice(at + 1).toLowerCase())}`;
}

/**
 * The key a suppressed address is stored under: a SHA-256 of the normalized address. The list can say
 * whether an address is suppressed without holding the address, so it can outlive the user's erasure.
 */
export function addressKey(address: string): string {
  return hashed(normalizeAddress(address));
}

/**
 * Every key the address may be listed under: its own ({@link addressKey}) first, then the keys earlier versions
 * stored, which kept the domain as written: the address so, and with its domain in Unicode (NFC, lower-cased).
 */
export function addressKeys(address: string): string[] {
  const { local, domain } = parts(address);
  if (domain === undefined) return [addressKey(address)];
  const unicode = domainToUnicode(domainToASCII(domain)) || domain;
  return [...new Set([addressKey(address), hashed(`${local}@${domain}`), hashed(`${local}@${unicode}`)])];
}

/** The domain of an address as it is matched (kept beside the key, for deliverability reports by domain). */
export function addressDomain(address: string): string | undefined {
  const { domain } = parts(normalizeAddress(address));
  return domain || undefined;
}

/** A lower-cased domain through UTS-46 to ASCII, or as written when UTS-46 refuses it. */
function asciiDomain(domain: string): string {
  return domainToASCII(domain) || domain;
}

function hashed(normalized: string): string {
  return createHash('sha256').update(`journeycast-suppression:${normalized}`).digest('hex');
}

/** The address trimmed and lower-cased, cut at its last @. */
function parts(address: string): { local: string; domain?: string } {
  const lowered = address.trim().toLowerCase();
  const at = lowered.lastIndexOf('@');
  return at === -1 ? { local: lowered } : { local: lowered.slice(0, at), domain: lowered.slice(at + 1) };
}
