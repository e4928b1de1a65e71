/**
 * The hosts tracked links may lead to (TRACKING_LINK_HOSTS): names (`shop.example.com`) and wildcards
 * (`*.example.com`: any name under example.com, not example.com itself), lower case, an internationalized
 * name in punycode. Without them a click link on the tracking domain redirects wherever the URL stored with
 * the message points, which a template tracking a URL from user data hands to whoever writes that data.
 */
export type LinkHosts = readonly string[];

export class LinkHostsError extends Error {}

const HOST_CHARACTERS = /^[^\s/\\:@?#*[\]%]+$/;

/** The hosts of a comma-separated list; throws a LinkHostsError naming the first entry that is no host name. */
export function parseLinkHosts(raw: string): string[] {
  return raw.split(',').map((item) => {
    const entry = item.trim().toLowerCase();
    const wildcard = entry.startsWith('*.');
    const name = wildcard ? entry.slice(2) : entry;
    const host = HOST_CHARACTERS.test(name) && URL.canParse(`http://${name}/`) && new URL(`http://${name}/`).hostname;
    if (!host || host.endsWith('.') || (wildcard && !host.includes('.'))) {
      throw new LinkHostsError(`has ${JSON.stringify(item.trim())}, which is not a host name or *. and a domain`);
    }
    return wildcard ? `*.${host}` : host;
  });
}

/** Whether `host` (lower case, as a URL parser reads it) is one of `hosts`. */
export function hostAllowed(hosts: LinkHosts, host: string): boolean {
  return hosts.some((allowed) => (allowed.startsWith('*.') ? host.endsWith(allowed.slice(1)) : host === allowed));
}

/**
 * Why a tracked link to `url` may not lead where it points under `hosts`, or undefined: only http(s) URLs
 * whose host, as a browser reads it, is allowed. No hosts (the setting unset) allows every URL.
 */
export function linkHostProblem(hosts: LinkHosts | undefined, url: string): string | undefined {
  if (!hosts) return undefined;
  const parsed = URL.canParse(url.trim()) ? new URL(url.trim()) : undefined;
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    return `"${url.trim().slice(0, 80)}" is no http(s) link to one of the hosts of TRACKING_LINK_HOSTS`;
  }
  if (!hostAllowed(hosts, parsed.hostname)) return `${parsed.hostname} is not one of the hosts of TRACKING_LINK_HOSTS`;
  return undefined;
}
