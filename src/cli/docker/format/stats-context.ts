/**
 * `stats` rows: the docker CLI's arithmetic (CPU % from the cpu/precpu
 * deltas times the online CPUs, memory without the inactive file cache,
 * network and block I/O sums) and its statsContext fields.
 */
import { marshalJson } from './display.js';
import { GO_TYPE } from './go-template.js';
import { headerContext } from './container-context.js';
import { bytesSize, humanSizeWithPrecision } from './units.js';

export const DEFAULT_STATS_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';

export const statsHeader = headerContext({
  Container: 'CONTAINER',
  Name: 'NAME',
  ID: 'CONTAINER ID',
  CPUPerc: 'CPU %',
  MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %',
  NetIO: 'NET I/O',
  BlockIO: 'BLOCK I/O',
  PIDs: 'PIDS',
});

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface StatsJson {
  name?: string;
  id?: string;
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> | null };
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }> | null;
  pids_stats?: { current?: number };
}

export interface StatsEntry {
  container: string;
  name: string;
  id: string;
  cpuPercent: number;
  memory: number;
  memoryLimit: number;
  memoryPercent: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
  invalid: boolean;
}

export function cpuPercent(s: StatsJson): number {
  const cur = s.cpu_stats ?? {};
  const pre = s.precpu_stats ?? {};
  const cpuDelta = (cur.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cur.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  let online = cur.online_cpus ?? 0;
  if (online === 0) online = cur.cpu_usage?.percpu_usage?.length ?? 0;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * online * 100 : 0;
}

export function memUsageNoCache(m: StatsJson['memory_stats']): number {
  const usage = m?.usage ?? 0;
  const stats = m?.stats ?? {};
  const v1 = stats['total_inactive_file'];
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = stats['inactive_file'] ?? 0;
  if (v2 < usage) return usage - v2;
  return usage;
}

export function toEntry(container: string, s: StatsJson): StatsEntry {
  const memory = memUsageNoCache(s.memory_stats);
  const limit = s.memory_stats?.limit ?? 0;
  let read = 0;
  let write = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = e.op[0];
    if (op === 'r' || op === 'R') read += e.value;
    else if (op === 'w' || op === 'W') write += e.value;
  }
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    rx += n.rx_bytes ?? 0;
    tx += n.tx_bytes ?? 0;
  }
  return {
    container,
    name: s.name ?? '',
    id: s.id ?? '',
    cpuPercent: cpuPercent(s),
    memory,
    memoryLimit: limit,
    memoryPercent: limit !== 0 ? (memory / limit) * 100 : 0,
    netRx: rx,
    netTx: tx,
    blockRead: read,
    blockWrite: write,
    pids: s.pids_stats?.current ?? 0,
    invalid: false,
  };
}

export function invalidEntry(container: string): StatsEntry {
  return { container, name: '', id: '', cpuPercent: 0, memory: 0, memoryLimit: 0, memoryPercent: 0, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 0, invalid: true };
}

const pct = (v: number): string => `${v.toFixed(2)}%`;
const JSON_FIELDS = ['BlockIO', 'CPUPerc', 'Container', 'ID', 'MemPerc', 'MemUsage', 'Name', 'NetIO', 'PIDs'] as const;

export class StatsContext {
  readonly [GO_TYPE] = '*container.statsContext';
  constructor(
    private readonly s: StatsEntry,
    private readonly trunc: boolean,
  ) {}
  Container(): string {
    return this.s.container;
  }
  Name(): string {
    return this.s.name.length > 1 ? this.s.name.slice(1) : '--';
  }
  ID(): string {
    return this.trunc ? this.s.id.slice(0, 12) : this.s.id;
  }
  CPUPerc(): string {
    return this.s.invalid ? '--' : pct(this.s.cpuPercent);
  }
  MemUsage(): string {
    return this.s.invalid ? '-- / --' : `${bytesSize(this.s.memory)} / ${bytesSize(this.s.memoryLimit)}`;
  }
  MemPerc(): string {
    return this.s.invalid ? '--' : pct(this.s.memoryPercent);
  }
  NetIO(): string {
    return this.s.invalid ? '--' : `${humanSizeWithPrecision(this.s.netRx, 3)} / ${humanSizeWithPrecision(this.s.netTx, 3)}`;
  }
  BlockIO(): string {
    return this.s.invalid ? '--' : `${humanSizeWithPrecision(this.s.blockRead, 3)} / ${humanSizeWithPrecision(this.s.blockWrite, 3)}`;
  }
  PIDs(): string {
    return this.s.invalid ? '--' : String(this.s.pids);
  }
  goMarshalJSON(): string {
    const obj: Record<string, unknown> = {};
    for (const k of JSON_FIELDS) obj[k] = this[k]();
    return marshalJson(obj);
  }
}
