import { run } from './exec.js';
import type { FirewallOps, FirewallState } from './network-host.js';

/**
 * The host firewall through iptables (whatever backend the host's iptables
 * uses, so that rules interleave correctly with a dockerd on the same host).
 * Each daemon owns chains named `<prefix>-*`; apply() rewrites them in one
 * atomic iptables-restore per table, so the kernel always says exactly what
 * the model says (level-triggered: stale rules cannot survive an apply).
 *
 * Layout, after Docker's:
 *  filter  FORWARD → P-FWD → P-ISO1 → P-ISO2   isolation between networks, --internal
 *          INPUT   → P-IN                      the embedded DNS (on the default gateway)
 *  nat     PREROUTING, OUTPUT (dst LOCAL) → P-DNAT   published ports (also 127.0.0.1)
 *          POSTROUTING → P-POST              masquerade out, from loopback, hairpin
 *
 * Only changed chains are written, and a chain that only grew gets its new
 * rules appended: publishing a port is one small append to the nat table.
 */
export class IptablesFirewall implements FirewallOps {
  /** The rules of each chain as the last apply left them, per prefix (its jumps are in place). */
  private readonly applied = new Map<string, Map<string, string[]>>();

  async apply(state: FirewallState): Promise<void> {
    const rules = renderRules(state);
    const wanted = chainContents(rules);
    const last = this.applied.get(state.prefix);
    if (!last) {
      // First apply in this process: drop jumps a previous run left, then add ours once.
      const stale = await staleJumps(state.prefix);
      const jumps = jumpRules(state.prefix);
      await restore(
        renderTable('filter', { ...rules.filter, pre: [...stale.filter, ...jumps.filter] }) + renderTable('nat', { ...rules.nat, pre: [...stale.nat, ...jumps.nat] }),
      );
    } else {
      const text = (['filter', 'nat'] as const).map((t) => incremental(t, rules[t], last, wanted)).join('');
      if (text) await restore(text);
    }
    this.applied.set(state.prefix, wanted);
  }

  async removeAll(prefix: string): Promise<void> {
    const saved = await save();
    const chains = { filter: ownChains(saved.filter, prefix), nat: ownChains(saved.nat, prefix) };
    const jumps = { filter: jumpDeletes(saved.filter, prefix), nat: jumpDeletes(saved.nat, prefix) };
    let text = '';
    for (const table of ['filter', 'nat'] as const) {
      if (chains[table].length === 0 && jumps[table].length === 0) continue;
      text += `*${table}\n${chains[table].map((c) => `:${c} - [0:0]\n`).join('')}${jumps[table].join('\n')}${jumps[table].length ? '\n' : ''}${chains[table].map((c) => `-X ${c}\n`).join('')}COMMIT\n`;
    }
    if (text) await restore(text);
    this.applied.delete(prefix);
  }

  async list(prefix: string): Promise<string[]> {
    const saved = await save();
    return [...saved.filter, ...saved.nat].filter((l) => l.includes(prefix));
  }
}

interface TableRules {
  chains: string[];
  /** Lines before the chain contents (jump deletes and inserts). */
  pre: string[];
  rules: string[];
}

/** Pure: the chains and rules that express state (exported for unit tests). */
export function renderRules(state: FirewallState): { filter: TableRules; nat: TableRules } {
  const p = state.prefix;
  const fwd: string[] = [`-A ${p}-FWD -j ${p}-ISO1`];
  const iso1: string[] = [];
  const iso2: string[] = [];
  const input: string[] = [];
  const post: string[] = [];
  for (const n of state.networks) {
    const br = n.bridge;
    fwd.push(`-A ${p}-FWD -o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
    fwd.push(`-A ${p}-FWD -o ${br} -m conntrack --ctstate DNAT -j ACCEPT`);
    if (!n.internal) fwd.push(`-A ${p}-FWD -i ${br} ! -o ${br} -j ACCEPT`);
    fwd.push(`-A ${p}-FWD -i ${br} -o ${br} -j ${n.icc ? 'ACCEPT' : 'DROP'}`);
    if (n.internal) {
      iso1.push(`-A ${p}-ISO1 ! -s ${n.subnet} -o ${br} -j DROP`, `-A ${p}-ISO1 ! -d ${n.subnet} -i ${br} -j DROP`);
    } else {
      iso1.push(`-A ${p}-ISO1 -i ${br} ! -o ${br} -j ${p}-ISO2`);
      iso2.push(`-A ${p}-ISO2 -o ${br} -j DROP`);
      if (n.masquerade) post.push(`-A ${p}-POST -s ${n.subnet} ! -o ${br} -j MASQUERADE`);
    }
    if (n.dns) {
      for (const proto of ['udp', 'tcp']) input.push(`-A ${p}-IN -i ${br} -d ${n.dns.ip}/32 -p ${proto} -m ${proto} --dport ${n.dns.port} -j ACCEPT`);
    }
    // The host reaching a published port on 127.0.0.1, and containers reaching one through
    // the host's address (hairpin): both need a source the container can answer.
    post.push(`-A ${p}-POST -s 127.0.0.0/8 -o ${br} -m addrtype --src-type LOCAL -j MASQUERADE`);
    post.push(`-A ${p}-POST -s ${n.subnet} -o ${br} -m conntrack --ctstate DNAT -j MASQUERADE`);
  }
  iso1.push(`-A ${p}-ISO1 -j RETURN`);
  iso2.push(`-A ${p}-ISO2 -j RETURN`);
  const dnat: string[] = [];
  for (const m of state.ports) {
    const dst = m.hostIp && m.hostIp !== '0.0.0.0' ? ` -d ${m.hostIp}/32` : '';
    dnat.push(`-A ${p}-DNAT${dst} -p ${m.proto} -m ${m.proto} --dport ${m.hostPort} -j DNAT --to-destination ${m.containerIp}:${m.containerPort}`);
  }
  return {
    filter: { chains: [`${p}-FWD`, `${p}-ISO1`, `${p}-ISO2`, `${p}-IN`], pre: [], rules: [...fwd, ...iso1, ...iso2, ...input] },
    nat: { chains: [`${p}-DNAT`, `${p}-POST`], pre: [], rules: [...dnat, ...post] },
  };
}

/** The jumps from the built-in chains into ours (filter ones first, before any DROP). */
export function jumpRules(p: string): { filter: string[]; nat: string[] } {
  return {
    filter: [`-I FORWARD 1 -j ${p}-FWD`, `-I INPUT 1 -j ${p}-IN`],
    nat: [
      `-A PREROUTING -m addrtype --dst-type LOCAL -j ${p}-DNAT`,
      `-A OUTPUT -m addrtype --dst-type LOCAL -j ${p}-DNAT`,
      `-A POSTROUTING -j ${p}-POST`,
    ],
  };
}

function chainContents(rules: { filter: TableRules; nat: TableRules }): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of [rules.filter, rules.nat]) {
    for (const c of t.chains) out.set(c, t.rules.filter((r) => r.startsWith(`-A ${c} `)));
  }
  return out;
}

/**
 * What one table needs to go from `last` to `wanted`. A chain that only
 * grew gets its new rules appended; any other change re-declares (flushes)
 * and refills it. Deleting rules costs an nf_tables commit a grace period
 * (~15 ms here) that appending does not, so publishing a port stays cheap
 * and the flush happens when ports go away, in the background.
 */
function incremental(table: string, t: TableRules, last: Map<string, string[]>, wanted: Map<string, string[]>): string {
  const declare: string[] = [];
  const lines: string[] = [];
  for (const chain of t.chains) {
    const before = last.get(chain) ?? [];
    const after = wanted.get(chain) ?? [];
    const grown = before.length <= after.length && before.every((r, i) => r === after[i]);
    if (grown && before.length === after.length) continue;
    if (grown) {
      lines.push(...after.slice(before.length));
    } else {
      declare.push(`:${chain} - [0:0]`);
      lines.push(...after);
    }
  }
  if (declare.length === 0 && lines.length === 0) return '';
  return [`*${table}`, ...declare, ...lines, 'COMMIT'].join('\n') + '\n';
}

function renderTable(table: string, t: TableRules): string {
  const lines = [`*${table}`, ...t.chains.map((c) => `:${c} - [0:0]`), ...t.pre, ...t.rules, 'COMMIT'];
  return lines.join('\n') + '\n';
}

const BUILTIN = ['INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING', 'POSTROUTING'];

/** `-D` lines for rules in built-in chains that jump into prefix's chains. */
function jumpDeletes(lines: string[], prefix: string): string[] {
  return lines
    .filter((l) => {
      const m = /^-A (\S+) .*-j (\S+)$/.exec(l);
      return m !== null && BUILTIN.includes(m[1] ?? '') && (m[2] ?? '').startsWith(`${prefix}-`);
    })
    .map((l) => `-D${l.slice(2)}`);
}

function ownChains(lines: string[], prefix: string): string[] {
  return lines.filter((l) => l.startsWith(`:${prefix}-`)).map((l) => l.slice(1).split(' ')[0] ?? '');
}

async function staleJumps(prefix: string): Promise<{ filter: string[]; nat: string[] }> {
  const saved = await save();
  return { filter: jumpDeletes(saved.filter, prefix), nat: jumpDeletes(saved.nat, prefix) };
}

async function save(): Promise<{ filter: string[]; nat: string[] }> {
  const [filter, nat] = await Promise.all([saveTable('filter'), saveTable('nat')]);
  return { filter, nat };
}

async function saveTable(table: string): Promise<string[]> {
  const { stdout } = await run('iptables-save', ['-t', table]);
  return stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

async function restore(text: string): Promise<void> {
  await run('iptables-restore', ['-w', '--noflush'], { input: text });
}
