import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { invalidArgument, type MountSpec } from '../../core/index.js';
import { cleanPath, DEFAULT_PROPAGATION, PROPAGATION_MODES } from './mount-modes.js';
import { convertTmpfsOptions } from './tmpfs-options.js';

/** A mount request (from Binds, Mounts or volumes-from) after Docker's validation. */
export interface ParsedMount {
  type: 'bind' | 'volume' | 'tmpfs';
  /** bind: the cleaned host path; volume: the name, '' for an anonymous one; tmpfs: ''. */
  source: string;
  destination: string;
  rw: boolean;
  /** The user's mode string (`-v` only; '' for --mount). */
  mode: string;
  /** bind: its propagation (rprivate by default); '' otherwise. */
  propagation: string;
  /** volume: the driver asked for ('' = default). */
  driver: string;
  /** volume: copy the image's content into a fresh volume. */
  copyData: boolean;
  /** bind: `bind` rather than `rbind`. */
  nonRecursive: boolean;
  /** bind from `-v`: a missing source is created at start (--mount refuses it at create). */
  createSource: boolean;
  /** volume: driver options and labels for a volume created by this mount. */
  driverOptions: Record<string, string> | null;
  labels: Record<string, string> | null;
  /** tmpfs: mount data (`size=…,mode=…`). */
  tmpfsData: string;
}

const TYPES = ['bind', 'volume', 'tmpfs'];

/** dockerd's errMountConfig wording. */
export function mountConfigError(type: string | undefined, message: string): Error {
  return invalidArgument(`invalid mount config for type "${type ?? ''}": ${message}`);
}

export function validateDestination(target: string): string | undefined {
  if (cleanPath(target) === '/') return "invalid specification: destination can't be '/'";
  if (!posix.isAbsolute(target)) return `invalid mount path: '${target}' mount path must be absolute`;
  return undefined;
}

/**
 * Validates one `HostConfig.Mounts` entry as dockerd's linux parser does.
 * checkSource: a bind source must exist (true for --mount, false for -v).
 */
export function validateMountSpec(m: MountSpec, checkSource: boolean): void {
  const fail = (msg: string): never => {
    throw mountConfigError(m.Type, msg);
  };
  if (!m.Target) fail('field Target must not be empty');
  const destErr = validateDestination(m.Target ?? '');
  if (destErr) fail(destErr);
  switch (m.Type) {
    case 'bind': {
      if (!m.Source) fail('field Source must not be empty');
      const prop = m.BindOptions?.Propagation;
      if (prop && !PROPAGATION_MODES.includes(prop)) fail(`invalid propagation mode: ${prop}`);
      if (m.VolumeOptions) fail('field VolumeOptions must not be specified');
      if (!posix.isAbsolute(m.Source ?? '')) fail(`invalid mount path: '${m.Source ?? ''}' mount path must be absolute`);
      if (checkSource && !existsSync(m.Source ?? '')) fail(`bind source path does not exist: ${m.Source ?? ''}`);
      break;
    }
    case 'volume':
      if (m.BindOptions) fail('field BindOptions must not be specified');
      if (!m.Source && m.ReadOnly) fail('must not set ReadOnly mode when using anonymous volumes');
      break;
    case 'tmpfs':
      if (m.BindOptions) fail('field BindOptions must not be specified');
      if (m.Source) fail('field Source must not be specified');
      break;
    default:
      fail('mount type unknown');
  }
}

/** Parses a validated-or-not `HostConfig.Mounts` entry (--mount). */
export function parseMountSpec(m: MountSpec, options: { checkSource: boolean; mode?: string; createSource?: boolean } = { checkSource: true }): ParsedMount {
  validateMountSpec(m, options.checkSource);
  const type = m.Type as ParsedMount['type'];
  if (!TYPES.includes(type)) throw mountConfigError(m.Type, 'mount type unknown');
  const base: ParsedMount = {
    type,
    source: '',
    destination: cleanPath(m.Target ?? ''),
    rw: !m.ReadOnly,
    mode: options.mode ?? '',
    propagation: '',
    driver: '',
    copyData: true,
    nonRecursive: false,
    createSource: options.createSource ?? false,
    driverOptions: null,
    labels: null,
    tmpfsData: '',
  };
  if (type === 'bind') {
    base.source = cleanPath(m.Source ?? '');
    base.propagation = m.BindOptions?.Propagation || DEFAULT_PROPAGATION;
    base.nonRecursive = m.BindOptions?.NonRecursive === true;
  } else if (type === 'volume') {
    base.source = m.Source ?? '';
    base.driver = m.VolumeOptions?.DriverConfig?.Name ?? '';
    base.copyData = m.VolumeOptions?.NoCopy !== true;
    base.driverOptions = m.VolumeOptions?.DriverConfig?.Options ?? null;
    base.labels = m.VolumeOptions?.Labels ?? null;
  } else {
    base.tmpfsData = convertTmpfsOptions(m.TmpfsOptions, m.ReadOnly === true);
  }
  return base;
}
