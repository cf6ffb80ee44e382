/** Test doubles for engine/network: containers in memory, a service on the fake kernel edge. */
import { mkdtemp, rm } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notFound, type ContainerConfig, type HostConfig, type NetworkingConfig } from '../../../../src/core/index.js';
import type { ContainerLookup, ContainerRecord } from '../../../../src/engine/containers/index.js';
import { EventBus, type EngineEvent } from '../../../../src/engine/events/index.js';
import { NetworkService } from '../../../../src/engine/network/index.js';
import type { PortHold, PortReserver } from '../../../../src/engine/network/index.js';
import { FakeNetworkHost } from '../../../../src/platform/fake/fake-network-host.js';

export class FakeLookup implements ContainerLookup {
  readonly records: ContainerRecord[] = [];
  saves = 0;
  get(idOrName: string): ContainerRecord {
    const bare = idOrName.replace(/^\//, '');
    const rec = this.records.find((r) => r.Id === idOrName || r.Name === bare) ?? this.records.find((r) => idOrName.length >= 3 && r.Id.startsWith(idOrName));
    if (!rec) throw notFound(`No such container: ${idOrName}`);
    return rec;
  }
  list(): ContainerRecord[] {
    return [...this.records];
  }
  async save(): Promise<void> {
    this.saves++;
  }
}

/** Ports held in memory; `busy` simulates ports other programs listen on. */
export class FakePorts implements PortReserver {
  readonly held = new Set<string>();
  readonly busy = new Set<string>();
  readonly busyV6 = new Set<string>();
  async hold(proto: string, hostIp: string, port: number): Promise<PortHold> {
    const key = `${proto}/${hostIp}:${port}`;
    const busy = hostIp === '::' ? this.busyV6 : this.busy;
    if (busy.has(`${proto}/${port}`) || this.held.has(key)) throw Object.assign(new Error('bind: address already in use'), { code: 'EADDRINUSE' });
    this.held.add(key);
    return { release: () => this.held.delete(key) };
  }
}

let counter = 0;

export function makeContainer(dir: string, name: string, hostConfig: HostConfig = {}, config: ContainerConfig = {}, networking: NetworkingConfig = {}): ContainerRecord {
  counter++;
  const id = `${counter.toString(16).padStart(4, '0')}${'ab'.repeat(30)}`;
  const cdir = join(dir, 'containers', id);
  return {
    Id: id,
    Name: name,
    Created: new Date().toISOString(),
    Path: 'sh',
    Args: [],
    Image: 'sha256:0',
    ImageName: 'busybox:test',
    Config: { Hostname: id.slice(0, 12), Domainname: '', Env: ['PATH=/bin', 'FOO=bar'], ...config },
    HostConfig: { NetworkMode: 'default', ...hostConfig },
    NetworkingConfig: networking,
    State: { Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 0, Error: '', StartedAt: '', FinishedAt: '' },
    NetworkSettings: { Networks: {}, Ports: {}, SandboxID: '', SandboxKey: '' },
    Mounts: [],
    RestartCount: 0,
    HasBeenStartedBefore: false,
    HasBeenManuallyStopped: false,
    LogPath: join(cdir, 'log'),
    HostnamePath: join(cdir, 'hostname'),
    HostsPath: join(cdir, 'hosts'),
    ResolvConfPath: join(cdir, 'resolv.conf'),
    Driver: 'overlay2',
    Runtime: 'runc',
    ExecIDs: [],
    Platform: 'linux',
  };
}

export interface Harness {
  dir: string;
  host: FakeNetworkHost;
  lookup: FakeLookup;
  ports: FakePorts;
  events: EngineEvent[];
  service: NetworkService;
  /** A new service on the same state and fake kernel (a daemon restart). */
  restart(): Promise<NetworkService>;
  /** onCreate + record added to the lookup. */
  create(name: string, hostConfig?: HostConfig, config?: ContainerConfig, networking?: NetworkingConfig): Promise<ContainerRecord>;
  /** setUp + marks the record running. */
  start(rec: ContainerRecord): ReturnType<NetworkService['setUp']>;
  stop(rec: ContainerRecord): Promise<void>;
  close(): Promise<void>;
}

export async function harness(options: { netnsPool?: number } = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-net-unit-'));
  const host = new FakeNetworkHost();
  const lookup = new FakeLookup();
  const ports = new FakePorts();
  const events: EngineEvent[] = [];
  const resolv = join(dir, 'resolv.conf');
  writeFileSync(resolv, 'nameserver 10.255.255.53\n');
  writeFileSync(join(dir, 'hosts'), '127.0.0.1 localhost\n127.0.0.1 testhost\n');
  const make = async () => {
    const bus = new EventBus();
    bus.subscribe((e) => events.push(e));
    const service = new NetworkService({
      host,
      events: bus,
      containers: () => lookup,
      portReserver: ports,
      // The embedded DNS binds real sockets on each gateway: loopback subnets make that work without root.
      options: {
        root: join(dir, 'state'),
        execRoot: join(dir, 'exec'),
        bridgeName: 'btest0',
        bip: '127.99.0.1/24',
        defaultAddressPools: [{ base: '127.100.0.0/16', size: 24 }],
        resolvConfPath: resolv,
        hostsPath: join(dir, 'hosts'),
        ephemeralPorts: [40000, 40010],
        dnsPort: 0,
        netnsPool: options.netnsPool ?? 0,
      },
    });
    await service.start();
    return service;
  };
  const h: Harness = {
    dir,
    host,
    lookup,
    ports,
    events,
    service: await make(),
    restart: async () => {
      h.service = await make();
      return h.service;
    },
    create: async (name, hostConfig, config, networking) => {
      const rec = makeContainer(dir, name, hostConfig, config, networking);
      await h.service.onCreate(rec);
      lookup.records.push(rec);
      return rec;
    },
    start: async (rec) => {
      const setup = await h.service.setUp(rec);
      await setup.ready; // as the runtime does before the process starts
      Object.assign(rec.State, { Status: 'running', Running: true });
      return setup;
    },
    stop: async (rec) => {
      Object.assign(rec.State, { Status: 'exited', Running: false });
      await h.service.tearDown(rec);
    },
    close: async () => {
      await h.service.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}
