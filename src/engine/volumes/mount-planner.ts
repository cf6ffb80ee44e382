import { invalidArgument, isBerthError, type MountPoint } from '../../core/index.js';
import type { ContainerLookup } from '../containers/hooks.js';
import type { ContainerRecord } from '../containers/types.js';
import { parseBind, parseVolumesFrom } from './bind-spec.js';
import { cleanPath } from './mount-modes.js';
import { parseMountSpec, validateDestination, type ParsedMount } from './mount-spec.js';
import type { MountDetail, MountStateStore } from './mount-state-store.js';
import type { VolumeService } from './volume-service.js';

export interface PlannedMount {
  point: MountPoint;
  detail: MountDetail;
}

export interface PlanContext {
  volumes: VolumeService;
  lookup: ContainerLookup;
  states: MountStateStore;
  /** Anonymous volumes created while planning, so a failed create can remove them. */
  created: string[];
}

/**
 * Turns a container's VolumesFrom, Binds, Mounts, Tmpfs and volume paths
 * (image VOLUMEs and `-v /path`) into Docker mount points, in dockerd's
 * order: volumes-from first, overridden by binds, then --mount, then
 * anonymous volumes for paths nothing else mounts. Volumes are created (or
 * referenced) on the way.
 */
export async function planMounts(rec: ContainerRecord, volumePaths: readonly string[], ctx: PlanContext): Promise<PlannedMount[]> {
  const hc = rec.HostConfig;
  const tmpfs = hc.Tmpfs ?? {};
  for (const dest of Object.keys(tmpfs)) {
    const err = validateDestination(dest);
    if (err) throw invalidArgument(err);
  }
  const planned = new Map<string, PlannedMount>();
  const explicit = new Set<string>();

  for (const spec of hc.VolumesFrom ?? []) {
    for (const p of await fromContainer(spec, rec.Id, ctx)) planned.set(p.point.Destination, p);
  }
  for (const raw of hc.Binds ?? []) {
    const parsed = parseBind(raw, hc.VolumeDriver ?? '');
    if (explicit.has(parsed.destination) || parsed.destination in tmpfs) throw duplicate(parsed.destination);
    planned.set(parsed.destination, await materialize(parsed, rec.Id, ctx));
    explicit.add(parsed.destination);
  }
  for (const spec of hc.Mounts ?? []) {
    const parsed = parseMountSpec(spec);
    if (explicit.has(parsed.destination)) throw duplicate(spec.Target ?? '');
    planned.set(parsed.destination, await materialize(parsed, rec.Id, ctx));
    explicit.add(parsed.destination);
  }
  for (const path of volumePaths) {
    const destination = cleanPath(path);
    // Something else already mounts there (dockerd's HasMountFor also counts --tmpfs).
    if (planned.has(destination) || destination in tmpfs) continue;
    const anonymous: ParsedMount = {
      type: 'volume', source: '', destination, rw: true, mode: '', propagation: '', driver: hc.VolumeDriver ?? '',
      copyData: true, nonRecursive: false, createSource: false, driverOptions: null, labels: null, tmpfsData: '',
    };
    const p = await materialize(anonymous, rec.Id, ctx);
    // Image volumes keep an empty mode; only Binds/--mount volumes get "z".
    p.point.Mode = '';
    planned.set(destination, p);
  }
  return [...planned.values()];
}

const duplicate = (dest: string): Error => invalidArgument(`Duplicate mount point: ${dest}`);

/** Creates or references what a parsed mount needs and renders its MountPoint. */
async function materialize(p: ParsedMount, containerId: string, ctx: PlanContext): Promise<PlannedMount> {
  if (p.type === 'bind') {
    return {
      point: { Type: 'bind', Source: p.source, Destination: p.destination, Mode: p.mode, RW: p.rw, Propagation: p.propagation },
      detail: { destination: p.destination, anonymous: false, copyData: false, createSource: p.createSource, nonRecursive: p.nonRecursive },
    };
  }
  if (p.type === 'tmpfs') {
    return {
      point: { Type: 'tmpfs', Source: '', Destination: p.destination, Mode: '', RW: p.rw, Propagation: '' },
      detail: { destination: p.destination, anonymous: false, copyData: false, tmpfsData: p.tmpfsData },
    };
  }
  const anonymous = p.source === '';
  const v = await ctx.volumes.create(anonymous ? undefined : p.source, {
    driver: p.driver,
    options: p.driverOptions,
    labels: p.labels,
    reference: containerId,
  });
  if (anonymous) ctx.created.push(v.Name);
  return {
    point: {
      Type: 'volume', Name: v.Name, Source: v.Mountpoint, Destination: p.destination, Driver: v.Driver,
      // dockerd sets "z" on local volumes from Binds/--mount that name no mode.
      Mode: p.mode === '' && v.Driver === 'local' ? 'z' : p.mode, RW: p.rw, Propagation: '',
    },
    detail: { destination: p.destination, anonymous, copyData: p.copyData },
  };
}

/** `--volumes-from c[:ro|rw]`: the other container's mounts, never copied into again. */
async function fromContainer(spec: string, containerId: string, ctx: PlanContext): Promise<PlannedMount[]> {
  const { container, rw } = parseVolumesFrom(spec);
  let source: ContainerRecord;
  try {
    source = ctx.lookup.get(container);
  } catch (err) {
    // dockerd answers 400 here: a 404 would make the docker CLI try to pull the image.
    if (isBerthError(err, 'NotFound')) throw invalidArgument(`No such container: ${container}`);
    throw err;
  }
  const details = await ctx.states.get(source.Id);
  const out: PlannedMount[] = [];
  for (const m of source.Mounts) {
    const d = details.find((x) => x.destination === m.Destination);
    if (m.Type === 'volume' && m.Name !== undefined) {
      ctx.volumes.record(m.Name);
      ctx.volumes.holdPending(containerId, m.Name);
    }
    out.push({
      // dockerd copies neither the mode string nor the right to copy data.
      point: { ...m, Mode: '', RW: m.RW && rw },
      detail: { ...(d ?? { anonymous: false }), destination: m.Destination, copyData: false },
    });
  }
  return out;
}
