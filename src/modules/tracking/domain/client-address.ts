import { isIP } from 'node:net';

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) is 1.2.3.4. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * An X-Forwarded-For entry without the client port some proxies add (`203.0.113.9:51234`,
 * `[2001:db8::1]:443`, Azure Application Gateway and IIS among them): the address alone.
 */
function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1];
  const v4 = /^([\d.]+):\d+$/.exec(entry);
  return v4 ? v4[1] : entry;
}

/**
 * The client's address: the socket's peer with no proxy in front, else the entry of X-Forwarded-For
 * that the outermost of `hops` trusted proxies appended. Entries further left are client-supplied and
 * never trusted; when there are fewer than `hops`, the left-most is the best there is.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, hops: number) {
  if (hops === 0 || !forwardedFor) return socketAddress ? unmapped(socketAddress) : undefined;
  const entries = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const picked = entries[Math.max(0, entries.length - hops)];
  const entry = picked && unmapped(withoutPort(picked));
  return entry && isIP(entry) ? entry : undefined;
}

/** The address cut to its network (/24 for IPv4, /48 for IPv6): enough to recognise a proxy, not a person. */
export function networkOf(address: string | undefined): string | undefined {
  if (!address) return undefined;
  if (isIP(address) === 4) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIP(address) !== 6) return undefined;
  return `${expandIpv6(address).slice(0, 3).join(':')}::/48`;
}

/** The eight 16-bit groups of an IPv6 address, in lower-case hex without leading zeros. */
export function expandIpv6(address: string): string[] {
  const [head, tail] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((group) => (parseInt(group, 16) || 0).toString(16));
}
