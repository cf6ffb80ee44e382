import { readFile } from 'node:fs/promises';

/** One interface's counters, under the names of Docker's stats `networks` entries. */
export interface InterfaceCounters {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

/**
 * Interface counters of the network namespace a process lives in
 * (`/proc/<pid>/net/dev`), loopback left out as Docker does.
 */
export async function readNetDev(pid: number): Promise<Record<string, InterfaceCounters>> {
  return parseNetDev(await readFile(`/proc/${pid}/net/dev`, 'utf8'));
}

export function parseNetDev(text: string): Record<string, InterfaceCounters> {
  const out: Record<string, InterfaceCounters> = {};
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo') continue;
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    // receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes packets errs drop …
    out[name] = {
      rx_bytes: f[0] ?? 0, rx_packets: f[1] ?? 0, rx_errors: f[2] ?? 0, rx_dropped: f[3] ?? 0,
      tx_bytes: f[8] ?? 0, tx_packets: f[9] ?? 0, tx_errors: f[10] ?? 0, tx_dropped: f[11] ?? 0,
    };
  }
  return out;
}
