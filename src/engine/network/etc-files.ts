import { invalidArgument } from '../../core/index.js';

/** The lines every container's /etc/hosts starts with (dockerd's etchosts defaults). */
export const HOSTS_DEFAULTS = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

export interface HostsRecord {
  ip: string;
  names: string;
}

export interface HostsInput {
  /** --add-host entries, then link entries, in that order. */
  records: readonly HostsRecord[];
  /** The container's own address (first network), when it has one. */
  ownIp?: string;
  hostname: string;
  domainname: string;
}

/** /etc/hosts as dockerd builds it: defaults, extra records, then the container's own entry. */
export function renderHosts(input: HostsInput): string {
  const lines = [...HOSTS_DEFAULTS, ...input.records.map((r) => `${r.ip}\t${r.names}`)];
  if (input.ownIp) {
    const fqdn = input.domainname ? `${input.hostname}.${input.domainname}` : input.hostname;
    const dot = fqdn.indexOf('.');
    lines.push(`${input.ownIp}\t${dot > 0 ? `${fqdn} ${fqdn.slice(0, dot)}` : fqdn}`);
  }
  return lines.join('\n') + '\n';
}

export function renderHostname(hostname: string): string {
  return `${hostname}\n`;
}

/**
 * `--add-host name:ip` entries. `host-gateway` stands for the default
 * bridge's gateway (the host as containers see it), as in dockerd.
 */
export function parseExtraHosts(entries: readonly string[] | null | undefined, hostGateway: string): HostsRecord[] {
  return (entries ?? []).map((entry) => {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw invalidArgument(`invalid IP address in add-host: "${entry}"`);
    const names = entry.slice(0, colon);
    let ip = entry.slice(colon + 1);
    if (ip === 'host-gateway') ip = hostGateway;
    if (!/^[\d.]+$/.test(ip) && !ip.includes(':')) throw invalidArgument(`invalid IP address in add-host: "${ip}"`);
    return { ip, names };
  });
}
