import { constants, type BigIntStats, type Stats } from 'node:fs';

/**
 * Go's os.FileMode bits, which Docker puts in the
 * `X-Docker-Container-Path-Stat` header (`mode`): the permission bits plus
 * type and special bits at the top of a uint32.
 */
export const GoMode = {
  Dir: 2 ** 31,
  Symlink: 2 ** 27,
  Device: 2 ** 26,
  NamedPipe: 2 ** 25,
  Socket: 2 ** 24,
  Setuid: 2 ** 23,
  Setgid: 2 ** 22,
  CharDevice: 2 ** 21,
  Sticky: 2 ** 20,
} as const;

export function goFileMode(st: Stats | BigIntStats): number {
  const mode = Number(st.mode);
  let out = mode & 0o777;
  const type = mode & constants.S_IFMT;
  if (type === constants.S_IFDIR) out += GoMode.Dir;
  else if (type === constants.S_IFLNK) out += GoMode.Symlink;
  else if (type === constants.S_IFBLK) out += GoMode.Device;
  else if (type === constants.S_IFCHR) out += GoMode.Device + GoMode.CharDevice;
  else if (type === constants.S_IFIFO) out += GoMode.NamedPipe;
  else if (type === constants.S_IFSOCK) out += GoMode.Socket;
  if (mode & 0o4000) out += GoMode.Setuid;
  if (mode & 0o2000) out += GoMode.Setgid;
  if (mode & 0o1000) out += GoMode.Sticky;
  return out;
}

/** Go's time.Time JSON form (RFC3339Nano, trailing zeros trimmed) from nanoseconds. */
export function goTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? '.' + frac : ''}Z`;
}
