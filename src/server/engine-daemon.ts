import { join } from 'node:path';
import { errorMessage, logger } from '../core/index.js';
import { EngineApiServer, Router } from '../engine/api/index.js';
import { registerContainerRoutes } from '../engine/api/routes/containers.js';
import { registerContainerFileRoutes } from '../engine/api/routes/container-files.js';
import { registerImageRoutes } from '../engine/api/routes/images.js';
import { registerNetworkRoutes } from '../engine/api/routes/networks.js';
import { registerSystemRoutes } from '../engine/api/routes/system.js';
import { registerVolumeRoutes } from '../engine/api/routes/volumes.js';
import { ContainerService, RuntimeAdapter, type ContainerLookup } from '../engine/containers/index.js';
import { EventBus } from '../engine/events/index.js';
import { ImagesService } from '../engine/images/index.js';
import { NetworkService } from '../engine/network/index.js';
import { createRuntime } from '../engine/runtime/index.js';
import { createVolumeSubsystem } from '../engine/volumes/index.js';
import { linuxNetworkHost } from '../platform/linux/linux-network-host.js';
import { mountAll, unmountIfMounted } from '../platform/linux/mount.js';
import { removeCgroup } from '../platform/linux/cgroups.js';
import { useSpawner } from '../platform/linux/spawner.js';
import { createImageTransfer } from '../registry/client/index.js';
import { acquirePidFile } from './daemon-lock.js';
import { daemonId } from './daemon-id.js';
import { diskUsage } from './disk-usage.js';

const log = logger('engine');

export interface EngineDaemonOptions {
  root: string;
  execRoot: string;
  socketPath: string;
  defaultRuntime: string;
  cgroupParent: string;
  bridgeName: string;
  bip?: string;
  /** Idle task monitors kept at least (the runtime's default otherwise). */
  monitorPoolSize?: number;
}

/**
 * The engine's composition root: builds the services in dependency order,
 * restores state left by a previous run, serves the Docker Engine API until
 * the signal aborts, then shuts down leaving running containers running.
 */
export async function runEngineDaemon(opts: EngineDaemonOptions, signal: AbortSignal, onReady: (socket: string) => void): Promise<void> {
  const releasePid = acquirePidFile(opts.execRoot);
  // Tools (CNI plugins, ip, nft, monitors…) are forked by a small helper: forks from this heap block the loop.
  useSpawner();
  const closers: (() => Promise<unknown>)[] = [async () => releasePid()];
  try {
    const events = new EventBus();
    let containers: ContainerService | undefined;
    // Late-bound: volumes and networking are built before the container service that uses them.
    const lookup: ContainerLookup = {
      get: (x) => containers!.get(x),
      list: () => containers?.list() ?? [],
      save: (rec) => containers!.save(rec),
    };

    const images = new ImagesService({
      root: opts.root,
      isInUse: (imageId) => lookup.list().filter((r) => r.Image === imageId).map((r) => ({ id: r.Id, running: r.State.Running })),
      events,
    });
    await images.init();

    const runtime = await createRuntime({
      execRoot: join(opts.execRoot, 'runtime'),
      cgroupParent: opts.cgroupParent,
      defaultRuntime: opts.defaultRuntime,
      ...(opts.monitorPoolSize !== undefined ? { monitorPoolSize: opts.monitorPoolSize } : {}),
    });
    closers.unshift(() => runtime.close());
    // Last: an empty parent cgroup goes too, so a stopped daemon leaves no trace (running containers keep theirs).
    closers.push(async () => {
      if (!containers?.list().some((r) => r.State.Running)) await removeCgroup(opts.cgroupParent);
    });
    const runtimeInfo = await runtime.runtimes();
    const usable = runtimeInfo.filter((r) => r.usable);
    for (const r of runtimeInfo.filter((x) => !x.usable)) log.warn(`runtime ${r.name} is not usable here`, { reason: r.reason });
    if (!usable.some((r) => r.name === opts.defaultRuntime)) throw new Error(`default runtime ${opts.defaultRuntime} is not usable: ${runtimeInfo.find((r) => r.name === opts.defaultRuntime)?.reason ?? 'not installed'}`);

    const network = new NetworkService({
      host: linuxNetworkHost(),
      events,
      containers: () => lookup,
      options: { root: join(opts.root, 'network'), execRoot: opts.execRoot, bridgeName: opts.bridgeName, ...(opts.bip ? { bip: opts.bip } : {}) },
    });
    await network.start();
    closers.unshift(() => network.close());

    const volumes = await createVolumeSubsystem({ root: opts.root, lookup, events });

    containers = new ContainerService({
      options: { containersDir: join(opts.root, 'containers'), rootfsDir: join(opts.execRoot, 'rootfs'), defaultRuntime: opts.defaultRuntime, runtimes: usable.map((r) => r.name),
        unusableRuntimes: Object.fromEntries(runtimeInfo.filter((r) => !r.usable).map((r) => [r.name, r.reason ?? 'unknown reason'])) },
      mounter: { mountAll, unmountIfMounted },
      runtime: new RuntimeAdapter(runtime, (x) => lookup.get(x).Id),
      images,
      networking: network,
      volumes: volumes.containers,
      events,
    });
    // Before the network and runtime close: removals finish their background part.
    const containerService = containers;
    closers.unshift(() => containerService.settle());
    await containers.load({ deferStarts: true });
    await volumes.containers.restore();
    await network.finishRestore();
    // Only now, with the network's sweep of unclaimed namespaces done, may restart policies start containers.
    await containers.startDeferred();

    const router = new Router();
    const id = daemonId(opts.root);
    registerSystemRoutes(router, {
      events,
      facts: {
        daemonId: id,
        rootDir: opts.root,
        containers: () => {
          const all = lookup.list();
          const running = all.filter((r) => r.State.Running && !r.State.Paused).length;
          const paused = all.filter((r) => r.State.Paused).length;
          return { running, paused, stopped: all.length - running - paused };
        },
        imageCount: () => images.count(),
        runtimes: () => Object.fromEntries(usable.map((r) => [r.name, { path: r.path }])),
        defaultRuntime: opts.defaultRuntime,
        cgroupParent: opts.cgroupParent,
        warnings: () => [],
        diskUsage: () => diskUsage({ images, containers: containers!, volumes: volumes.service }),
      },
    });
    registerContainerRoutes(router, { containers, imageId: (ref) => images.findId(ref) });
    registerContainerFileRoutes(router, { containers, images });
    registerImageRoutes(router, { images, transfer: createImageTransfer(images) });
    registerNetworkRoutes(router, { networks: network });
    registerVolumeRoutes(router, { volumes: volumes.service });

    const api = new EngineApiServer(router);
    await api.listen(opts.socketPath);
    closers.unshift(() => api.close());
    onReady(opts.socketPath);
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    log.info('shutting down; running containers keep running');
  } finally {
    for (const close of closers) await close().catch((err: unknown) => log.warn('shutdown step failed', { err: errorMessage(err) }));
  }
}
