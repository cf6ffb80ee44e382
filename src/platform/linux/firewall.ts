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
 *          INPUT   → P-IN                      the embedded DNS on each gateway
 *  nat     PREROUTING, OUTPUT (dst LOCAL) → P-DNAT   published ports (also 127.0.0.1)
 *          POSTROUTING → P-POST              masquerade out, from loopback, hairpin
 *
 * Only the chains of changed tables are rewritten: a port published or
 * released touches the nat table alone.
 */
export class IptablesFirewall implements FirewallOps {
  /** What the last apply wrote per prefix (its jumps are in place). */
  private readonly applied = new Map<string, { filter: string; nat: string }>();

  async apply(state: FirewallState): Promise<void> {
    const rules = renderRules(state);
    const text = { filter: renderTable('filter', rules.filter), nat: renderTable('nat', rules.nat) };
    const last = this.applied.get(state.prefix);
    if (!last) {
      // First apply in this process: drop jumps a previous run left, then add ours once.
      const stale = await staleJumps(state.prefix);
      const jumps = jumpRules(state.prefix);
      await restore(
        renderTable('filter', { ...rules.filter, pre: [...stale.filter, ...jumps.filter] }) + renderTable('nat', { ...rules.nat, pre: [...stale.nat, ...jumps.nat] }),
      );
    } else {
      // Each table commit costs the kernel a grace period: only rewrite what changed
      // (a published port touches nat alone).
      const changed = (['filter', 'nat'] as const).filter((t) => last[t] !== text[t]);
      if (changed.length > 0) await restore(changed.map((t) => text[t]).join(''));
    }
    this.applied.set(state.prefix, text);
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
    if (n.dnsPort !== undefined) {
      for (const proto of ['udp', 'tcp']) input.push(`-A ${p}-IN -i ${br} -d ${n.gateway}/32 -p ${proto} -m ${proto} --dport ${n.dnsPort} -j ACCEPT`);
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
