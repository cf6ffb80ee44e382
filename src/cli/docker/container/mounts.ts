/**
 * Storage flags of `run`: `--mount` (opts.MountOpt's CSV syntax and
 * messages), `-v` split into Binds (anything with a source) and anonymous
 * Volumes, and `--tmpfs path[:options]`.
 */
import { resolve } from 'node:path';
import { ramInBytes } from '../format/units.js';

export type Mount = Record<string, unknown>;

function parseBool(key: string, val: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(val)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(val)) return false;
  throw new Error(`invalid value for ${key}: ${val}`);
}

/** Splits one CSV record (encoding/csv: quotes protect commas). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function parseMount(value: string): Mount {
  let type = 'volume';
  let source: string | undefined;
  let target = '';
  let readOnly = false;
  let consistency: string | undefined;
  let bind: Record<string, unknown> | undefined;
  let volume: { NoCopy?: boolean; Labels: Record<string, string>; DriverConfig: { Name?: string; Options?: Record<string, string> } } | undefined;
  let tmpfs: { SizeBytes?: number; Mode?: number } | undefined;
  const vol = (): NonNullable<typeof volume> => (volume ??= { Labels: {}, DriverConfig: {} });
  const kv = (target: Record<string, string>, v: string): void => {
    const i = v.indexOf('=');
    const k = i < 0 ? v : v.slice(0, i);
    if (k !== '') target[k] = i < 0 ? '' : v.slice(i + 1);
  };
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=');
    const key = eq < 0 ? field : field.slice(0, eq);
    const val = eq < 0 ? '' : field.slice(eq + 1);
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') readOnly = true;
      else if (key === 'volume-nocopy') vol().NoCopy = true;
      else if (key === 'bind-nonrecursive') (bind ??= {})['NonRecursive'] = true;
      else throw new Error(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    switch (key) {
      case 'type':
        type = val.toLowerCase();
        break;
      case 'source':
      case 'src':
        source = val === '.' || val.startsWith('./') ? resolve(val) : val;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = val;
        break;
      case 'readonly':
      case 'ro':
        readOnly = parseBool(key, val);
        break;
      case 'consistency':
        consistency = val.toLowerCase();
        break;
      case 'bind-propagation':
        (bind ??= {})['Propagation'] = val.toLowerCase();
        break;
      case 'bind-nonrecursive':
        (bind ??= {})['NonRecursive'] = parseBool(key, val);
        break;
      case 'volume-nocopy':
        try {
          vol().NoCopy = parseBool(key, val);
        } catch {
          throw new Error(`invalid value for volume-nocopy: ${val}`);
        }
        break;
      case 'volume-label':
        kv(vol().Labels, val);
        break;
      case 'volume-driver':
        vol().DriverConfig.Name = val;
        break;
      case 'volume-opt':
        kv((vol().DriverConfig.Options ??= {}), val);
        break;
      case 'tmpfs-size':
        try {
          (tmpfs ??= {}).SizeBytes = ramInBytes(val);
        } catch {
          throw new Error(`invalid value for ${key}: ${val}`);
        }
        break;
      case 'tmpfs-mode':
        if (!/^[0-7]+$/.test(val)) throw new Error(`invalid value for ${key}: ${val}`);
        (tmpfs ??= {}).Mode = parseInt(val, 8);
        break;
      default:
        throw new Error(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (type === '') throw new Error('type is required');
  if (target === '') throw new Error('target is required');
  if (volume && type !== 'volume') throw new Error(`cannot mix 'volume-*' options with mount type '${type}'`);
  if (bind && type !== 'bind') throw new Error(`cannot mix 'bind-*' options with mount type '${type}'`);
  if (tmpfs && type !== 'tmpfs') throw new Error(`cannot mix 'tmpfs-*' options with mount type '${type}'`);
  const m: Mount = { Type: type };
  if (source) m['Source'] = source;
  m['Target'] = target;
  if (readOnly) m['ReadOnly'] = true;
  if (consistency) m['Consistency'] = consistency;
  if (bind) m['BindOptions'] = bind;
  if (volume) {
    const v: Record<string, unknown> = {};
    if (volume.NoCopy) v['NoCopy'] = true;
    if (Object.keys(volume.Labels).length > 0) v['Labels'] = sortKeys(volume.Labels);
    const d: Record<string, unknown> = {};
    if (volume.DriverConfig.Name) d['Name'] = volume.DriverConfig.Name;
    if (volume.DriverConfig.Options && Object.keys(volume.DriverConfig.Options).length > 0) d['Options'] = sortKeys(volume.DriverConfig.Options);
    v['DriverConfig'] = d;
    m['VolumeOptions'] = v;
  }
  if (tmpfs) m['TmpfsOptions'] = tmpfs;
  return m;
}

/** `-v` values: those naming a source become Binds, the rest anonymous Volumes. */
export function splitVolumes(values: readonly string[]): { binds: string[]; volumes: string[] } {
  const binds: string[] = [];
  const volumes: string[] = [];
  for (const v of values) {
    if (v.includes(':') && !v.startsWith(':')) binds.push(v);
    else volumes.push(v);
  }
  return { binds, volumes };
}

/** `--tmpfs /path[:opts]` to HostConfig.Tmpfs. */
export function tmpfsMap(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of values) {
    const i = t.indexOf(':');
    out[i < 0 ? t : t.slice(0, i)] = i < 0 ? '' : t.slice(i + 1);
  }
  return out;
}

/** Go marshals maps with sorted keys. */
export function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]!]));
}
