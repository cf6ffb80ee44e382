import { join } from 'node:path';
import { hostname as hostHostname } from 'node:os';
import { invalidArgument, type ContainerCreateBody } from '../../core/index.js';
import { emitContainerEvent, type ContainerContext } from './context.js';
import { adaptHostConfig, normalizeStrSlices, validateCreateConfig } from './host-defaults.js';
import { normalizeHostConfig } from './inspect.js';
import { entrypointAndArgs, mergeWithImage, newId, validateHostConfig } from './merge-config.js';
import { generateName } from './names.js';
import { validateLogConfig } from './task-spec.js';
import type { ContainerRecord } from './types.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** POST /containers/create: validates, builds and persists a record; nothing half-made on failure. */
export async function createContainer(ctx: ContainerContext, body: ContainerCreateBody, requestedName: string | undefined): Promise<{ Id: string; Warnings: string[] }> {
  if (requestedName !== undefined && requestedName !== '') ctx.store.checkName(requestedName);
  const { HostConfig: rawHost = {}, NetworkingConfig: networking = {}, ...rawConfig } = body;
  const userConfig = normalizeStrSlices(rawConfig);
  if (!userConfig.Image) throw invalidArgument('Config cannot be empty in order to create a container');
  validateHostConfig(rawHost);
  validateLogConfig(rawHost);
  validateCreateConfig(userConfig, rawHost);
  const runtime = rawHost.Runtime || ctx.options.defaultRuntime;
  if (!ctx.options.runtimes.includes(runtime)) {
    const why = ctx.options.unusableRuntimes?.[runtime];
    // Docker's message, plus why a runtime that is installed cannot be used here (crun on hybrid cgroups).
    throw invalidArgument(`Unknown runtime specified ${runtime}${why ? `: ${runtime} is installed but not usable on this host: ${why}` : ''}`);
  }

  const image = await ctx.images.resolve(userConfig.Image);
  const config = mergeWithImage(userConfig, image.config);
  const { path, args } = entrypointAndArgs(config);
  const id = newId();
  const name = requestedName ? requestedName.replace(/^\//, '') : generateName((n) => ctx.store.nameTaken(n));
  const hostConfig = normalizeHostConfig(adaptHostConfig({ ...rawHost, Runtime: runtime }));
  const netMode = hostConfig.NetworkMode ?? 'default';
  if (!config.Hostname) config.Hostname = netMode === 'host' ? hostHostname() : id.slice(0, 12);
  config.Image = userConfig.Image;
  const dir = ctx.store.containerDir(id);

  const rec: ContainerRecord = {
    Id: id,
    Name: name,
    Created: new Date().toISOString(),
    Path: path,
    Args: args,
    Image: image.id,
    ImageName: userConfig.Image,
    Config: {
      Hostname: config.Hostname,
      Domainname: config.Domainname ?? '',
      User: config.User ?? '',
      AttachStdin: config.AttachStdin ?? false,
      AttachStdout: config.AttachStdout ?? false,
      AttachStderr: config.AttachStderr ?? false,
      ...(config.ExposedPorts ? { ExposedPorts: config.ExposedPorts } : {}),
      Tty: config.Tty ?? false,
      OpenStdin: config.OpenStdin ?? false,
      StdinOnce: config.StdinOnce ?? false,
      Env: config.Env ?? [],
      Cmd: config.Cmd ?? null,
      ...(config.Healthcheck ? { Healthcheck: config.Healthcheck } : {}),
      Image: config.Image,
      Volumes: config.Volumes ?? null,
      WorkingDir: config.WorkingDir ?? '',
      Entrypoint: config.Entrypoint ?? null,
      OnBuild: config.OnBuild ?? null,
      Labels: config.Labels ?? {},
      ...(config.StopSignal ? { StopSignal: config.StopSignal } : {}),
      ...(config.StopTimeout != null ? { StopTimeout: config.StopTimeout } : {}),
      ...(config.MacAddress ? { MacAddress: config.MacAddress } : {}),
    },
    HostConfig: hostConfig,
    NetworkingConfig: networking,
    State: {
      Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false,
      Pid: 0, ExitCode: 0, Error: '', StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME,
    },
    NetworkSettings: { Networks: {}, Ports: {}, SandboxID: '', SandboxKey: '' },
    Mounts: [],
    RestartCount: 0,
    HasBeenStartedBefore: false,
    HasBeenManuallyStopped: false,
    LogPath: join(dir, `${id}-json.log`),
    HostnamePath: join(dir, 'hostname'),
    HostsPath: join(dir, 'hosts'),
    ResolvConfPath: join(dir, 'resolv.conf'),
    Driver: 'overlay2',
    Runtime: runtime,
    ExecIDs: [],
    Platform: 'linux',
  };

  // Each step is undone if a later one fails: no half-made container.
  const undo: (() => Promise<unknown>)[] = [];
  try {
    await ctx.networking.onCreate(rec);
    undo.push(() => ctx.networking.onRemove(rec));
    await ctx.volumes.onCreate(rec, Object.keys(image.config.Volumes ?? {}));
    undo.push(() => ctx.volumes.onRemove(rec, { removeAnonymous: true }));
    await ctx.store.add(rec);
    undo.push(() => ctx.store.remove(rec));
    await ctx.images.createLayer(id, image.id);
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => {});
    throw err;
  }
  emitContainerEvent(ctx, rec, 'create');
  return { Id: id, Warnings: [] };
}
