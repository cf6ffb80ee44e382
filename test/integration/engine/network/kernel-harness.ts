/**
 * Drives engine/network on the real kernel without the daemon: a
 * NetworkService on the Linux edge, fake container records, and busybox
 * processes started in the sandboxes with nsenter (the "containers").
 * Everything is unique per harness (bridge, subnets, chain prefix) and
 * removed by close(), even after a failure.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerConfig, HostConfig, NetworkingConfig } from '../../../../src/core/index.js';
import type { ContainerRecord } from '../../../../src/engine/containers/index.js';
import { EventBus } from '../../../../src/engine/events/index.js';
import { NetworkService } from '../../../../src/engine/network/index.js';
import { linuxNetworkHost } from '../../../../src/platform/linux/linux-network-host.js';
import { FakeLookup, makeContainer } from '../../../unit/engine/network/helpers.js';

export interface Cmd {
  code: number;
  stdout: string;
  stderr: string;
}

export function sh(cmd: string, args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<Cmd> {
  return new Promise((resolve) => {
    const p = execFile(cmd, args, { timeout: options.timeoutMs ?? 20_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    p.stdin?.on('error', () => {});
    p.stdin?.end(options.input ?? '');
  });
}

export function canRunKernelTests(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, bridges, iptables)';
  for (const bin of ['/usr/lib/cni/bridge', '/usr/lib/cni/static', '/usr/sbin/iptables-restore', '/usr/sbin/nft', '/bin/busybox']) {
    if (!existsSync(bin)) return `${bin} missing (scripts/setup.sh installs it)`;
  }
  return undefined;
}

/** Host-side veths enslaved to a bridge. */
export async function vethsOn(bridge: string): Promise<string[]> {
  const out = (await sh('ip', ['-o', 'link', 'show', 'master', bridge])).stdout;
  return out.split('\n').map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => n !== '');
}

export async function linkExists(name: string): Promise<boolean> {
  return (await sh('ip', ['link', 'show', 'dev', name])).code === 0;
}

/** iptables lines (both tables) that mention prefix. */
export async function rulesOf(prefix: string): Promise<string[]> {
  const [filter, nat] = await Promise.all([sh('iptables-save', ['-t', 'filter']), sh('iptables-save', ['-t', 'nat'])]);
  return [...filter.stdout.split('\n'), ...nat.stdout.split('\n')].filter((l) => l.includes(prefix));
}

/** Mounts (namespace bind mounts) under dir. */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m.startsWith(`${dir}/`));
}

/**
 * Namespaces under dir that hold more than loopback (a sandbox), and the
 * count of empty ones (the daemon's pool keeps two spares ready).
 */
export async function namespacesIn(dir: string): Promise<{ used: string[]; spares: number }> {
  const used: string[] = [];
  let spares = 0;
  for (const ns of existsSync(dir) ? readdirSync(dir) : []) {
    const links = (await sh('nsenter', [`--net=${join(dir, ns)}`, 'ip', '-o', 'link', 'show'])).stdout.trim().split('\n');
    if (links.length === 1 && links[0]?.includes(': lo:')) spares++;
    else used.push(ns);
  }
  return { used, spares };
}

export function runNetns(): string[] {
  return existsSync('/run/netns') ? readdirSync('/run/netns').sort() : [];
}

export class KernelHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'berth-netk-'));
  readonly tag = Math.random().toString(36).slice(2, 7);
  readonly lookup = new FakeLookup();
  /** Third octets unique to this harness, so parallel runs do not overlap. */
  readonly octet = 16 + Math.floor(Math.random() * 200);
  readonly bridgeName = `bk${this.tag}`;
  readonly prefix = `BERTH-BK${this.tag.toUpperCase()}`;
  readonly events = new EventBus();
  service: NetworkService;
  private readonly procs: ChildProcess[] = [];
  /** Every bridge this harness made (for the leak check and the last-resort clean-up). */
  readonly bridges = new Set<string>([this.bridgeName]);
  /** Every host-side veth seen on those bridges while containers ran. */
  readonly veths = new Set<string>();

  constructor() {
    this.service = this.makeService();
  }

  makeService(): NetworkService {
    return new NetworkService({
      host: linuxNetworkHost(),
      events: this.events,
      containers: () => this.lookup,
      options: {
        root: join(this.dir, 'root'),
        execRoot: join(this.dir, 'exec'),
        bridgeName: this.bridgeName,
        bip: `10.233.${this.octet}.1/24`,
        defaultAddressPools: [{ base: `10.234.${this.octet}.0/24`, size: 27 }],
      },
    });
  }

  get netnsDir(): string {
    return join(this.dir, 'exec', 'netns');
  }

  async create(name: string, hostConfig: HostConfig = {}, config: ContainerConfig = {}, networking: NetworkingConfig = {}): Promise<ContainerRecord> {
    const rec = makeContainer(this.dir, name, hostConfig, config, networking);
    await this.service.onCreate(rec);
    this.lookup.records.push(rec);
    return rec;
  }

  async createNetwork(body: Record<string, unknown>): Promise<string> {
    const { Id } = await this.service.create(body);
    const bridge = this.service.find(Id).bridge?.name;
    if (bridge) this.bridges.add(bridge);
    return Id;
  }

  async start(rec: ContainerRecord): Promise<string> {
    const setup = await this.service.setUp(rec);
    await setup.ready; // as the runtime does before the process starts
    Object.assign(rec.State, { Running: true, Status: 'running' });
    for (const b of this.bridges) for (const v of await vethsOn(b)) this.veths.add(v);
    return setup.netnsPath ?? '';
  }

  async stop(rec: ContainerRecord): Promise<void> {
    Object.assign(rec.State, { Running: false, Status: 'exited' });
    await this.service.tearDown(rec);
  }

  /** busybox httpd in the container's namespace, serving `body`. */
  serveHttp(rec: ContainerRecord, body: string, port = 80): void {
    const www = join(this.dir, `www-${rec.Name}`);
    mkdirSync(www, { recursive: true });
    writeFileSync(join(www, 'index.html'), body);
    const p = spawn('nsenter', [`--net=${rec.NetworkSettings.SandboxKey}`, 'busybox', 'httpd', '-f', '-p', String(port), '-h', www], { stdio: 'ignore' });
    this.procs.push(p);
  }

  /** A command inside the container's namespace, seeing its /etc/resolv.conf and /etc/hosts. */
  exec(rec: ContainerRecord, script: string, timeoutMs = 15_000): Promise<Cmd> {
    const inner = `mount --bind ${rec.ResolvConfPath} /etc/resolv.conf && mount --bind ${rec.HostsPath} /etc/hosts && ${script}`;
    return sh('nsenter', [`--net=${rec.NetworkSettings.SandboxKey}`, 'unshare', '-m', 'sh', '-c', inner], { timeoutMs });
  }

  /** GET / over nc from inside a container; '' when unreachable. */
  async fetch(rec: ContainerRecord, host: string, port = 80): Promise<string> {
    const r = await this.exec(rec, `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 ${host} ${port}`);
    return r.stdout;
  }

  async close(): Promise<void> {
    for (const p of this.procs) if (p.exitCode === null) p.kill('SIGKILL');
    try {
      for (const rec of this.lookup.records) if (rec.State.Running) await this.stop(rec).catch(() => {});
      await this.service.settle();
      for (const n of this.service.list(new Map([['type', ['custom']]]))) await this.service.remove(String(n['Id'])).catch(() => {});
      await this.service.close();
    } finally {
      // Last resort after a failure: nothing of this harness may stay on the host.
      for (const m of mountsUnder(this.dir).reverse()) await sh('umount', ['-l', m]);
      await linuxNetworkHost().firewall.removeAll(this.prefix).catch(() => {});
      for (const b of this.bridges) if (await linkExists(b)) await sh('ip', ['link', 'del', b]);
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
