import { access, writeFile } from 'node:fs/promises';
import { run } from './exec.js';
import type { BridgeSpec, LinkOps } from './network-host.js';

interface IpAddrInfo {
  ifname: string;
  address?: string;
  mtu?: number;
  operstate?: string;
  flags?: string[];
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

/** Host links (bridges), addresses, routes and forwarding sysctls through iproute2 and /proc/sys. */
export class LinuxLinks implements LinkOps {
  async ensureBridge(spec: BridgeSpec): Promise<void> {
    const current = await this.addrInfo(spec.name);
    const cmds: string[] = [];
    if (!current) {
      cmds.push(`link add name ${spec.name} address ${spec.mac} mtu ${spec.mtu} type bridge`);
    }
    const [ip, len] = spec.address.split('/');
    const has = current?.addr_info?.some((a) => a.family === 'inet' && a.local === ip && String(a.prefixlen) === len);
    if (!has) cmds.push(`addr add ${spec.address} dev ${spec.name}`);
    if (!current?.flags?.includes('UP')) cmds.push(`link set ${spec.name} up`);
    if (cmds.length > 0) await run('ip', ['-batch', '-'], { input: cmds.join('\n') + '\n' });
    // Lets the host reach published ports on 127.0.0.1: DNAT from loopback to the bridge.
    await writeSysctl(`net/ipv4/conf/${spec.name}/route_localnet`, '1');
  }

  async deleteBridge(name: string): Promise<void> {
    if (!(await this.linkExists(name))) return;
    await run('ip', ['link', 'del', name], { okCodes: [0, 1] });
  }

  async linkExists(name: string): Promise<boolean> {
    try {
      await access(`/sys/class/net/${name}`);
      return true;
    } catch {
      return false;
    }
  }

  async hostPrefixes(): Promise<{ prefix: string; dev: string }[]> {
    const { stdout } = await run('ip', ['-4', '-j', 'route', 'show', 'table', 'all']);
    const routes = JSON.parse(stdout || '[]') as { dst?: string; dev?: string; type?: string }[];
    const out: { prefix: string; dev: string }[] = [];
    for (const r of routes) {
      if (!r.dst || r.dst === 'default' || (r.type && r.type !== 'unicast')) continue;
      out.push({ prefix: r.dst.includes('/') ? r.dst : `${r.dst}/32`, dev: r.dev ?? '' });
    }
    return out;
  }

  async enableForwarding(): Promise<void> {
    await writeSysctl('net/ipv4/ip_forward', '1');
    // Bridged traffic must cross iptables for hairpin NAT between containers of one bridge.
    await writeSysctl('net/bridge/bridge-nf-call-iptables', '1').catch(() => {});
  }

  private async addrInfo(name: string): Promise<IpAddrInfo | undefined> {
    if (!(await this.linkExists(name))) return undefined;
    const { stdout } = await run('ip', ['-j', 'addr', 'show', 'dev', name]);
    return (JSON.parse(stdout || '[]') as IpAddrInfo[])[0];
  }
}

async function writeSysctl(key: string, value: string): Promise<void> {
  await writeFile(`/proc/sys/${key}`, value);
}
