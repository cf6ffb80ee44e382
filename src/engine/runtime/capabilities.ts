import { invalidArgument } from '../../core/index.js';

/** Capability names by number (linux/capability.h), up to CAP_CHECKPOINT_RESTORE (40). */
export const ALL_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ',
  'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
] as const;

/** Docker's default set (moby oci/caps/defaults.go). */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

export interface CapabilityOptions {
  privileged?: boolean;
  capAdd?: readonly string[];
  capDrop?: readonly string[];
  /** /proc/sys/kernel/cap_last_cap: capabilities the kernel does not know are left out. */
  lastCap?: number;
  /** Our bounding set (CapBnd): "all" means all that we hold. */
  bounding?: bigint;
}

/** The kernel's capabilities that we hold, by name. */
export function allCapabilities(lastCap = ALL_CAPABILITIES.length - 1, bounding?: bigint): string[] {
  return ALL_CAPABILITIES.slice(0, lastCap + 1).filter((_c, i) => bounding === undefined || (bounding & (1n << BigInt(i))) !== 0n);
}

/** "net_admin" → "CAP_NET_ADMIN"; "ALL" stays; unknown names are Docker's error. */
export function normalizeCapabilities(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of names) {
    const upper = raw.trim().toUpperCase();
    if (upper === '') continue;
    const name = upper === 'ALL' ? 'ALL' : upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (name !== 'ALL' && !(ALL_CAPABILITIES as readonly string[]).includes(name)) throw invalidArgument(`unknown capability: "${name}"`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Docker's TweakCapabilities: privileged → all; ALL in add → all minus drops; ALL in drop → only adds. */
export function resolveCapabilities(options: CapabilityOptions): string[] {
  const all = allCapabilities(options.lastCap, options.bounding);
  if (options.privileged) return all;
  const add = normalizeCapabilities(options.capAdd ?? []);
  const drop = normalizeCapabilities(options.capDrop ?? []);
  let caps: string[];
  if (add.includes('ALL')) caps = all.filter((c) => !drop.includes(c));
  else if (drop.includes('ALL')) caps = add;
  else caps = [...DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c)), ...add];
  return [...new Set(caps)].filter((c) => all.includes(c));
}
