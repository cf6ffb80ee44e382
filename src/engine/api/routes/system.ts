import { arch, cpus, hostname, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import type { Router } from '../router.js';
import { API_VERSION, ENGINE_VERSION, MIN_API_VERSION } from '../version.js';
import { eventPredicate, parseEventTime, type EventBus, type EngineEvent } from '../../events/index.js';
import { invalidArgument } from '../../../core/index.js';

/** What /info and /system/df need to know from the services. */
export interface SystemFacts {
  daemonId: string;
  rootDir: string;
  containers(): { running: number; paused: number; stopped: number };
  imageCount(): number;
  runtimes(): Record<string, { path: string }>;
  defaultRuntime: string;
  cgroupParent: string;
  warnings(): string[];
  diskUsage?(): Promise<unknown>;
}

const goArch = (): string => ({ x64: 'amd64', arm64: 'arm64', ia32: '386' })[arch() as string] ?? arch();

export function registerSystemRoutes(router: Router, deps: { facts: SystemFacts; events: EventBus }): void {
  const ping = async (_req: unknown, res: import('../response.js').ApiResponse): Promise<void> => {
    res.send(200, Buffer.from('OK'), {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-cache, no-store, must-revalidate',
      Pragma: 'no-cache',
    });
  };
  router.get('/_ping', ping);
  router.head('/_ping', ping);

  router.get('/version', async (_req, res) => {
    const details = {
      ApiVersion: API_VERSION,
      Arch: goArch(),
      BuildTime: '',
      Experimental: 'false',
      GitCommit: 'berth',
      GoVersion: `node${process.versions.node}`,
      KernelVersion: release(),
      MinAPIVersion: MIN_API_VERSION,
      Os: 'linux',
    };
    const runtimes = deps.facts.runtimes();
    res.json(200, {
      Platform: { Name: 'Berth Engine' },
      Components: [
        { Name: 'Engine', Version: ENGINE_VERSION, Details: details },
        ...Object.keys(runtimes).map((name) => ({ Name: name, Version: '', Details: { GitCommit: '' } })),
      ],
      Version: ENGINE_VERSION,
      ApiVersion: API_VERSION,
      MinAPIVersion: MIN_API_VERSION,
      GitCommit: 'berth',
      GoVersion: details.GoVersion,
      Os: 'linux',
      Arch: details.Arch,
      KernelVersion: details.KernelVersion,
      BuildTime: '',
    });
  });

  router.get('/info', async (_req, res) => {
    const c = deps.facts.containers();
    res.json(200, {
      ID: deps.facts.daemonId,
      Containers: c.running + c.paused + c.stopped,
      ContainersRunning: c.running,
      ContainersPaused: c.paused,
      ContainersStopped: c.stopped,
      Images: deps.facts.imageCount(),
      Driver: 'overlay2',
      DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true'], ['Native Overlay Diff', 'true']],
      Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'null'], Authorization: null, Log: ['json-file', 'none'] },
      MemoryLimit: true,
      SwapLimit: true,
      KernelMemory: false,
      CpuCfsPeriod: true,
      CpuCfsQuota: true,
      CPUShares: true,
      CPUSet: true,
      PidsLimit: true,
      IPv4Forwarding: true,
      BridgeNfIptables: true,
      BridgeNfIp6tables: true,
      Debug: false,
      NFd: 0,
      OomKillDisable: true,
      NGoroutines: 0,
      SystemTime: new Date().toISOString(),
      LoggingDriver: 'json-file',
      CgroupDriver: 'cgroupfs',
      CgroupVersion: '1',
      NEventsListener: 0,
      KernelVersion: release(),
      OperatingSystem: osName(),
      OSVersion: '',
      OSType: 'linux',
      Architecture: arch() === 'x64' ? 'x86_64' : arch(),
      IndexServerAddress: 'https://index.docker.io/v1/',
      RegistryConfig: { AllowNondistributableArtifactsCIDRs: [], AllowNondistributableArtifactsHostnames: [], InsecureRegistryCIDRs: ['127.0.0.0/8'], IndexConfigs: {}, Mirrors: [] },
      NCPU: cpus().length,
      MemTotal: totalmem(),
      GenericResources: null,
      DockerRootDir: deps.facts.rootDir,
      HttpProxy: '',
      HttpsProxy: '',
      NoProxy: '',
      Name: hostname(),
      Labels: [],
      ExperimentalBuild: false,
      ServerVersion: ENGINE_VERSION,
      Runtimes: deps.facts.runtimes(),
      DefaultRuntime: deps.facts.defaultRuntime,
      Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
      LiveRestoreEnabled: true,
      Isolation: '',
      InitBinary: 'docker-init',
      ContainerdCommit: { ID: '', Expected: '' },
      RuncCommit: { ID: '', Expected: '' },
      InitCommit: { ID: '', Expected: '' },
      SecurityOptions: ['name=seccomp,profile=default'],
      Warnings: deps.facts.warnings(),
    });
  });

  router.get('/events', async (req, res) => {
    const match = eventPredicate(req.filters());
    const nowNs = Date.now() * 1e6;
    let sinceNs: number;
    let untilNs: number;
    try {
      sinceNs = parseEventTime(req.string('since'), nowNs);
      untilNs = parseEventTime(req.string('until'), Number.POSITIVE_INFINITY);
    } catch (err) {
      throw invalidArgument((err as Error).message);
    }
    const out = res.jsonLines();
    const send = (e: EngineEvent): void => {
      out.write(e);
    };
    for (const e of deps.events.replay(sinceNs, untilNs, match)) send(e);
    if (untilNs <= Date.now() * 1e6) {
      out.end();
      return;
    }
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const unsubscribe = deps.events.subscribe((e) => {
        if (e.timeNano > untilNs) return;
        if (match(e)) send(e);
      });
      const finish = (): void => {
        unsubscribe();
        if (timer) clearTimeout(timer);
        out.end();
        resolve();
      };
      if (Number.isFinite(untilNs)) timer = setTimeout(finish, Math.max(0, untilNs / 1e6 - Date.now()));
      res.onClientGone(finish);
    });
  });

  router.get('/system/df', async (_req, res) => {
    res.json(200, (await deps.facts.diskUsage?.()) ?? { LayersSize: 0, Images: [], Containers: [], Volumes: [], BuildCache: [] });
  });
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return m?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

