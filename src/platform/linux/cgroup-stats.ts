import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cgroupLayout } from './cgroups.js';

/**
 * Resource usage of one task, with the meaning of Docker's /stats fields
 * (nanoseconds, bytes): the API edge renders it in Docker's snake_case shape.
 */
export interface TaskStats {
  read: Date;
  cpu: {
    totalUsage: number;
    perCpuUsage: number[];
    usageInKernelmode: number;
    usageInUsermode: number;
    /** Host cpu time from /proc/stat, ns (Docker's system_cpu_usage). */
    systemCpuUsage: number;
    onlineCpus: number;
    throttling: { periods: number; throttledPeriods: number; throttledTime: number };
  };
  memory: {
    usage: number;
    maxUsage: number;
    failcnt: number;
    /** Cgroup limit, or the host's memory when unlimited (as Docker reports). */
    limit: number;
    /** memory.stat keys as the kernel names them (v1: cache, rss, total_rss, hierarchical_memory_limit…). */
    stats: Record<string, number>;
  };
  pids: { current: number; limit?: number };
  blkio: {
    ioServiceBytesRecursive: BlkioEntry[];
    ioServicedRecursive: BlkioEntry[];
  };
}

export interface BlkioEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux, what /proc/stat and cpuacct.stat count in

export async function readCgroupStats(path: string): Promise<TaskStats> {
  const layout = await cgroupLayout();
  const host = await readHostCpu();
  const memTotal = await readMemTotal();
  if (layout.mode === 'v2') return readV2(join(layout.unified ?? '/sys/fs/cgroup', path), host, memTotal);
  const dir = (c: string) => join(layout.v1.get(c) ?? `/sys/fs/cgroup/${c}`, path);
  const cpuacct = dir('cpuacct');
  const cpuStat = parseKv(await readText(join(dir('cpu'), 'cpu.stat')));
  const acctStat = parseKv(await readText(join(cpuacct, 'cpuacct.stat')));
  const mem = dir('memory');
  const limit = await readNumber(join(mem, 'memory.limit_in_bytes'));
  const pidsMax = (await readText(join(dir('pids'), 'pids.max'))).trim();
  const blkio = dir('blkio');
  return {
    read: new Date(),
    cpu: {
      totalUsage: await readNumber(join(cpuacct, 'cpuacct.usage')),
      perCpuUsage: (await readText(join(cpuacct, 'cpuacct.usage_percpu'))).trim().split(/\s+/).filter(Boolean).map(Number),
      usageInKernelmode: ((acctStat['system'] ?? 0) * 1e9) / CLOCK_TICKS,
      usageInUsermode: ((acctStat['user'] ?? 0) * 1e9) / CLOCK_TICKS,
      systemCpuUsage: host.systemNs,
      onlineCpus: host.online,
      throttling: { periods: cpuStat['nr_periods'] ?? 0, throttledPeriods: cpuStat['nr_throttled'] ?? 0, throttledTime: cpuStat['throttled_time'] ?? 0 },
    },
    memory: {
      usage: await readNumber(join(mem, 'memory.usage_in_bytes')),
      maxUsage: await readNumber(join(mem, 'memory.max_usage_in_bytes')),
      failcnt: await readNumber(join(mem, 'memory.failcnt')),
      limit: limit > 0 && limit < memTotal ? limit : memTotal,
      stats: parseKv(await readText(join(mem, 'memory.stat'))),
    },
    pids: { current: await readNumber(join(dir('pids'), 'pids.current')), ...(pidsMax && pidsMax !== 'max' ? { limit: Number(pidsMax) } : {}) },
    blkio: {
      ioServiceBytesRecursive: await firstBlkio(blkio, ['blkio.io_service_bytes_recursive', 'blkio.throttle.io_service_bytes_recursive']),
      ioServicedRecursive: await firstBlkio(blkio, ['blkio.io_serviced_recursive', 'blkio.throttle.io_serviced_recursive']),
    },
  };
}

async function readV2(dir: string, host: HostCpu, memTotal: number): Promise<TaskStats> {
  const cpu = parseKv(await readText(join(dir, 'cpu.stat')));
  const maxText = (await readText(join(dir, 'memory.max'))).trim();
  const limit = maxText && maxText !== 'max' ? Number(maxText) : memTotal;
  const pidsMax = (await readText(join(dir, 'pids.max'))).trim();
  const bytes: BlkioEntry[] = [];
  const ios: BlkioEntry[] = [];
  for (const line of (await readText(join(dir, 'io.stat'))).split('\n')) {
    const [dev, ...pairs] = line.trim().split(/\s+/);
    const [major, minor] = (dev ?? '').split(':').map(Number);
    if (major === undefined || minor === undefined || Number.isNaN(major)) continue;
    const kv = Object.fromEntries(pairs.map((p) => p.split('=')).map(([k, v]) => [k, Number(v)]));
    bytes.push({ major, minor, op: 'read', value: kv['rbytes'] ?? 0 }, { major, minor, op: 'write', value: kv['wbytes'] ?? 0 });
    ios.push({ major, minor, op: 'read', value: kv['rios'] ?? 0 }, { major, minor, op: 'write', value: kv['wios'] ?? 0 });
  }
  return {
    read: new Date(),
    cpu: {
      totalUsage: (cpu['usage_usec'] ?? 0) * 1000,
      perCpuUsage: [],
      usageInKernelmode: (cpu['system_usec'] ?? 0) * 1000,
      usageInUsermode: (cpu['user_usec'] ?? 0) * 1000,
      systemCpuUsage: host.systemNs,
      onlineCpus: host.online,
      throttling: { periods: cpu['nr_periods'] ?? 0, throttledPeriods: cpu['nr_throttled'] ?? 0, throttledTime: (cpu['throttled_usec'] ?? 0) * 1000 },
    },
    memory: {
      usage: await readNumber(join(dir, 'memory.current')),
      maxUsage: await readNumber(join(dir, 'memory.peak')),
      failcnt: 0,
      limit: Math.min(limit, memTotal),
      stats: parseKv(await readText(join(dir, 'memory.stat'))),
    },
    pids: { current: await readNumber(join(dir, 'pids.current')), ...(pidsMax && pidsMax !== 'max' ? { limit: Number(pidsMax) } : {}) },
    blkio: { ioServiceBytesRecursive: bytes, ioServicedRecursive: ios },
  };
}

interface HostCpu {
  systemNs: number;
  online: number;
}

/** Docker's system_cpu_usage: the sum of the first /proc/stat line's times, in ns; online cpus = cpuN lines. */
export async function readHostCpu(): Promise<HostCpu> {
  const text = await readText('/proc/stat');
  let systemNs = 0;
  let online = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu ')) {
      const f = line.split(/\s+/).slice(1, 8).map(Number);
      systemNs = (f.reduce((a, b) => a + b, 0) * 1e9) / CLOCK_TICKS;
    } else if (/^cpu\d+ /.test(line)) online++;
  }
  return { systemNs, online };
}

async function readMemTotal(): Promise<number> {
  const m = /^MemTotal:\s+(\d+) kB/m.exec(await readText('/proc/meminfo'));
  return m ? Number(m[1]) * 1024 : Number.MAX_SAFE_INTEGER;
}

async function firstBlkio(dir: string, files: string[]): Promise<BlkioEntry[]> {
  for (const f of files) {
    const entries = parseBlkio(await readText(join(dir, f)));
    if (entries.length > 0) return entries;
  }
  return [];
}

/** Lines like "8:0 Read 4096"; the "Total" line is dropped as Docker does. */
export function parseBlkio(text: string): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const [dev, op, value] = line.trim().split(/\s+/);
    if (!dev || !op || value === undefined) continue;
    const [major, minor] = dev.split(':').map(Number);
    if (major === undefined || minor === undefined || Number.isNaN(major)) continue;
    out.push({ major, minor, op, value: Number(value) });
  }
  return out;
}

export function parseKv(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && !Number.isNaN(Number(v))) out[k] = Number(v);
  }
  return out;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

async function readNumber(file: string): Promise<number> {
  const n = Number((await readText(file)).trim());
  return Number.isFinite(n) ? n : 0;
}
