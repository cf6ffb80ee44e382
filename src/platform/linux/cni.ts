import { join } from 'node:path';
import { BerthError, internal } from '../../core/index.js';
import { run } from './exec.js';
import type { CniInvocation, CniOps, CniResult } from './network-host.js';

export const DEFAULT_CNI_PATH = '/usr/lib/cni';

/**
 * Runs CNI plugins as the spec says: the network configuration on stdin,
 * the rest in CNI_* variables, the result (or a `{code,msg}` error) on
 * stdout. Each exec starts a Go binary, so callers keep calls few.
 */
export class CniExec implements CniOps {
  constructor(private readonly cniPath: string = DEFAULT_CNI_PATH) {}

  async add(inv: CniInvocation): Promise<CniResult> {
    const out = await this.invoke('ADD', inv, inv.config);
    try {
      return JSON.parse(out) as CniResult;
    } catch {
      throw internal(`CNI plugin ${String(inv.config['type'])} printed an invalid result: ${out.slice(0, 200)}`);
    }
  }

  async del(inv: CniInvocation & { prevResult?: CniResult }): Promise<void> {
    const config = inv.prevResult ? { ...inv.config, prevResult: inv.prevResult } : inv.config;
    await this.invoke('DEL', inv, config);
  }

  private async invoke(command: 'ADD' | 'DEL', inv: CniInvocation, config: Record<string, unknown>): Promise<string> {
    const type = config['type'];
    if (typeof type !== 'string' || !/^[a-z0-9-]+$/.test(type)) throw internal(`invalid CNI plugin type ${String(type)}`);
    const env = {
      PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      CNI_COMMAND: command,
      CNI_CONTAINERID: inv.containerId,
      CNI_NETNS: inv.netnsPath,
      CNI_IFNAME: inv.ifName,
      CNI_PATH: this.cniPath,
    };
    try {
      const { stdout } = await run(join(this.cniPath, type), [], { input: JSON.stringify(config), env });
      return stdout;
    } catch (err) {
      throw new BerthError('Internal', `CNI ${type} ${command} for ${inv.ifName} failed: ${pluginError(err)}`, { cause: err });
    }
  }
}

/** Extracts the plugin's `msg` (and `details`) from a failed run's message. */
function pluginError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const brace = text.indexOf('{');
  if (brace >= 0) {
    try {
      const parsed = JSON.parse(text.slice(brace)) as { msg?: string; details?: string };
      if (parsed.msg) return parsed.details ? `${parsed.msg}: ${parsed.details}` : parsed.msg;
    } catch {
      // not JSON: fall through
    }
  }
  return text;
}
