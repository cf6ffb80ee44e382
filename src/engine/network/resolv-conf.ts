/**
 * resolv.conf as dockerd writes it for containers: the host's file with
 * loopback (and IPv6) nameservers removed, or rebuilt from --dns,
 * --dns-search and --dns-option; on user-defined networks the nameserver is
 * the embedded DNS at 127.0.0.11 and the real servers are only used by it.
 */
export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

export const EMBEDDED_DNS = '127.0.0.11';
/** Docker's fallback when the host only lists loopback resolvers. */
const FALLBACK_DNS = ['8.8.8.8', '8.8.4.4'];

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], search: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.search = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

function isLoopback(ns: string): boolean {
  return ns.startsWith('127.') || ns === '::1' || ns === '0:0:0:0:0:0:0:1';
}

export interface DnsSettings {
  dns: readonly string[];
  search: readonly string[];
  options: readonly string[];
}

/** The upstream servers the embedded DNS forwards to for one container. */
export function upstreamServers(host: ResolvConf, settings: DnsSettings): string[] {
  return settings.dns.length > 0 ? [...settings.dns] : host.nameservers;
}

/** resolv.conf for a container on the default bridge or `none` (no embedded DNS). */
export function renderPlainResolvConf(hostText: string, settings: DnsSettings): string {
  const host = parseResolvConf(hostText);
  if (settings.dns.length === 0 && settings.search.length === 0 && settings.options.length === 0) {
    return filterHostResolvConf(hostText);
  }
  const nameservers = settings.dns.length > 0 ? [...settings.dns] : host.nameservers;
  return build({
    nameservers,
    search: settings.search.length > 0 ? [...settings.search] : host.search,
    options: settings.options.length > 0 ? [...settings.options] : host.options,
  });
}

/** resolv.conf for a container with an embedded-DNS network. */
export function renderEmbeddedResolvConf(hostText: string, settings: DnsSettings): string {
  const host = parseResolvConf(hostText);
  const options = settings.options.length > 0 ? [...settings.options] : [...host.options];
  if (!options.some((o) => o.startsWith('ndots:'))) options.push('ndots:0');
  return build({ nameservers: [EMBEDDED_DNS], search: settings.search.length > 0 ? [...settings.search] : host.search, options });
}

/** The host's file as is, minus loopback/IPv6 nameservers (with Docker's fallback if none remain). */
function filterHostResolvConf(text: string): string {
  const kept = text
    .split('\n')
    .filter((line) => {
      const m = /^\s*nameserver\s+(\S+)/.exec(line);
      return !m || (!isLoopback(m[1] ?? '') && !(m[1] ?? '').includes(':'));
    })
    .join('\n');
  if (parseResolvConf(kept).nameservers.length > 0) return kept.endsWith('\n') ? kept : `${kept}\n`;
  const trimmed = kept.trimEnd();
  return `${trimmed ? `${trimmed}\n` : ''}${FALLBACK_DNS.map((ns) => `nameserver ${ns}\n`).join('')}`;
}

function build(rc: ResolvConf): string {
  let out = '';
  if (rc.search.length > 0) out += `search ${rc.search.join(' ')}\n`;
  for (const ns of rc.nameservers) out += `nameserver ${ns}\n`;
  if (rc.options.length > 0) out += `options ${rc.options.join(' ')}\n`;
  return out;
}
