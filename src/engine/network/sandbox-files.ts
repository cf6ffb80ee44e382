import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { conflict } from '../../core/index.js';
import type { ContainerRecord, OciMount } from '../containers/index.js';
import { isUserDefined, type NetworkContext } from './context.js';
import { parseExtraHosts, renderHostname, renderHosts, type HostsRecord } from './etc-files.js';
import { linkEnv, parseLink } from './links.js';
import { renderEmbeddedResolvConf, renderPlainResolvConf, type DnsSettings } from './resolv-conf.js';
import type { SandboxRecord } from './types.js';

function dnsSettings(rec: ContainerRecord): DnsSettings {
  return { dns: rec.HostConfig.Dns ?? [], search: rec.HostConfig.DnsSearch ?? [], options: rec.HostConfig.DnsOptions ?? [] };
}

async function write(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content, { mode: 0o644 });
}

/** The default bridge's gateway: what `host-gateway` in --add-host stands for. */
export function hostGateway(ctx: NetworkContext): string {
  return ctx.model.tryFind('bridge')?.bridge?.gateway ?? '';
}

/**
 * /etc/hosts, /etc/resolv.conf and /etc/hostname as dockerd writes them, in
 * the container's directory (`HostsPath`, `ResolvConfPath`, `HostnamePath`).
 */
export async function writeEtcFiles(ctx: NetworkContext, rec: ContainerRecord, sandbox: SandboxRecord | undefined, linkRecords: HostsRecord[]): Promise<void> {
  const hostResolv = await readFile(ctx.opts.resolvConfPath, 'utf8').catch(() => '');
  const embedded = sandbox?.endpoints.some((ep) => {
    const net = ctx.model.networks.get(ep.networkId);
    return net !== undefined && isUserDefined(net);
  });
  const records = [...parseExtraHosts(rec.HostConfig.ExtraHosts, hostGateway(ctx)), ...linkRecords];
  const ownIp = sandbox?.endpoints[0]?.ip;
  await Promise.all([
    write(rec.HostnamePath, renderHostname(rec.Config.Hostname ?? '')),
    write(rec.HostsPath, renderHosts({ records, ...(ownIp ? { ownIp } : {}), hostname: rec.Config.Hostname ?? '', domainname: rec.Config.Domainname ?? '' })),
    write(rec.ResolvConfPath, embedded ? renderEmbeddedResolvConf(hostResolv, dnsSettings(rec)) : renderPlainResolvConf(hostResolv, dnsSettings(rec))),
  ]);
}

/** Host network: copies of the host's hosts and resolv.conf, as dockerd does. */
export async function writeHostModeFiles(ctx: NetworkContext, rec: ContainerRecord): Promise<void> {
  await mkdir(dirname(rec.HostsPath), { recursive: true });
  await Promise.all([
    copyFile(ctx.opts.hostsPath, rec.HostsPath).catch(() => write(rec.HostsPath, renderHosts({ records: [], hostname: '', domainname: '' }))),
    copyFile(ctx.opts.resolvConfPath, rec.ResolvConfPath).catch(() => write(rec.ResolvConfPath, '')),
    write(rec.HostnamePath, renderHostname(rec.Config.Hostname ?? '')),
  ]);
}

/** The bind mounts of the three files (read-only with a read-only rootfs, like dockerd). */
export function etcMounts(rec: ContainerRecord): OciMount[] {
  const options = ['rbind', 'rprivate', ...(rec.HostConfig.ReadonlyRootfs ? ['ro'] : [])];
  return [
    { destination: '/etc/resolv.conf', type: 'bind', source: rec.ResolvConfPath, options },
    { destination: '/etc/hostname', type: 'bind', source: rec.HostnamePath, options },
    { destination: '/etc/hosts', type: 'bind', source: rec.HostsPath, options },
  ];
}

/**
 * Legacy links on the default bridge: each target must run and be on the
 * default bridge; gives /etc/hosts records and the link environment.
 */
export function legacyLinks(ctx: NetworkContext, rec: ContainerRecord): { records: HostsRecord[]; env: string[] } {
  const records: HostsRecord[] = [];
  const env: string[] = [];
  for (const spec of rec.HostConfig.Links ?? []) {
    const link = parseLink(spec);
    const child = ctx.containers().get(link.target);
    const linkName = `/${rec.Name}/${link.alias}`;
    if (!child.State.Running) throw conflict(`Cannot link to a non running container: /${child.Name} AS ${linkName}`);
    const ep = ctx.model.sandboxes.get(child.Id)?.endpoints.find((e) => e.networkName === 'bridge' && ctx.model.networks.get(e.networkId)?.builtin);
    if (!ep) throw conflict(`Cannot link to /${child.Name}, as it does not belong to the default network`);
    const names = [link.alias, child.Config.Hostname ?? '', ...(link.alias !== child.Name ? [child.Name] : [])].filter(Boolean);
    records.push({ ip: ep.ip, names: names.join(' ') });
    env.push(...linkEnv(linkName, ep.ip, Object.keys(child.Config.ExposedPorts ?? {}), child.Config.Env ?? []));
  }
  return { records, env };
}
