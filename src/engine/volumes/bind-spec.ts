import { posix } from 'node:path';
import { BerthError, errorMessage, invalidArgument, type MountSpec } from '../../core/index.js';
import { modeHasNoCopy, modeIsReadWrite, modePropagation, validMountMode } from './mount-modes.js';
import { parseMountSpec, type ParsedMount } from './mount-spec.js';

/**
 * dockerd 20.10 answers malformed `Binds` with status 500 (the parser's
 * errors are untyped there), and Berth keeps that status for compatibility.
 */
function bindError(message: string): BerthError {
  return invalidArgument(message, { details: { status: 500 } });
}

const invalidSpec = (raw: string): string => `invalid volume specification: '${raw}'`;

/**
 * Parses one `HostConfig.Binds` entry (`-v`): `[source:]destination[:mode]`.
 * An absolute source is a bind mount, anything else a volume name; a lone
 * destination is an anonymous volume.
 */
export function parseBind(raw: string, volumeDriver = ''): ParsedMount {
  if ((raw.match(/:/g) ?? []).length > 2) throw bindError(invalidSpec(raw));
  const parts = raw.split(':');
  if (parts[0] === '') throw bindError(invalidSpec(raw));
  const spec: MountSpec = {};
  let mode = '';
  if (parts.length === 1) {
    spec.Target = parts[0] ?? '';
  } else if (parts.length === 2) {
    // `/foo:rw` is a destination with a mode, which a volume cannot have.
    if (validMountMode(parts[1] ?? '')) throw bindError(invalidSpec(raw));
    spec.Source = parts[0] ?? '';
    spec.Target = parts[1] ?? '';
  } else {
    spec.Source = parts[0] ?? '';
    spec.Target = parts[1] ?? '';
    mode = parts[2] ?? '';
  }
  if (!validMountMode(mode)) throw bindError(`invalid mode: ${mode}`);
  spec.Type = posix.isAbsolute(spec.Source ?? '') ? 'bind' : 'volume';
  spec.ReadOnly = !modeIsReadWrite(mode);
  if (volumeDriver !== '' && spec.Type === 'volume') spec.VolumeOptions = { DriverConfig: { Name: volumeDriver } };
  if (modeHasNoCopy(mode)) spec.VolumeOptions = { ...(spec.VolumeOptions ?? {}), NoCopy: true };
  const propagation = modePropagation(mode);
  if (propagation !== undefined) spec.BindOptions = { Propagation: propagation };
  try {
    return parseMountSpec(spec, { checkSource: false, mode, createSource: true });
  } catch (err) {
    throw bindError(`${invalidSpec(raw)}: ${errorMessage(err)}`);
  }
}

/** Parses one `HostConfig.VolumesFrom` entry: `container[:ro|rw]`. */
export function parseVolumesFrom(spec: string): { container: string; rw: boolean } {
  if (spec === '') throw invalidArgument('volumes-from specification cannot be an empty string');
  const colon = spec.indexOf(':');
  if (colon < 0) return { container: spec, rw: true };
  const mode = spec.slice(colon + 1);
  // Propagation and copy modes would override the source container's own.
  if (!validMountMode(mode) || modePropagation(mode) !== undefined || modeHasNoCopy(mode)) throw invalidArgument(`invalid mode: ${mode}`);
  return { container: spec.slice(0, colon), rw: modeIsReadWrite(mode) };
}
