/**
 * `berth info`: the daemon's system information (GET /info) laid out as the
 * docker CLI prints it, or through a `--format` template.
 */
import { CliError, StatusError } from './common/cli-error.js';
import { clientVersion } from './common/client-info.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { Template } from './format/go-template.js';
import { bytesSize } from './format/units.js';
import { withGoNames } from './format/go-fields.js';

export const spec: CommandSpec = {
  name: 'info',
  usage: 'berth info [OPTIONS]',
  summary: 'Display system-wide information',
  flags: { format: { type: 'string', short: 'f', help: "Format output using a custom template:\n'json' or a Go template" } },
  args: { max: 0 },
};

type Info = Record<string, unknown> & {
  DriverStatus?: [string, string][] | null;
  SystemStatus?: [string, string][] | null;
  Plugins?: { Volume?: string[] | null; Network?: string[] | null; Authorization?: string[] | null; Log?: string[] | null };
  Swarm?: { LocalNodeState?: string; NodeID?: string; NodeAddr?: string; Error?: string; ControlAvailable?: boolean };
  Runtimes?: Record<string, unknown> | null;
  SecurityOptions?: string[] | null;
  Labels?: string[] | null;
  RegistryConfig?: { InsecureRegistryCIDRs?: string[] | null; IndexConfigs?: Record<string, { Name: string; Secure: boolean }> | null; Mirrors?: string[] | null } | null;
  DefaultAddressPools?: { Base: string; Size: number }[] | null;
  Warnings?: string[] | null;
  CDISpecDirs?: string[] | null;
};

const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function renderInfo(info: Info, debugClient = false): { out: string; err: string } {
  const lines: string[] = [];
  const ln = (...parts: unknown[]): void => void lines.push(parts.map(str).join(' '));
  const nonEmpty = (label: string, v: unknown): void => {
    if (str(v) !== '') ln(label, v);
  };
  ln(' Containers:', info['Containers']);
  ln('  Running:', info['ContainersRunning']);
  ln('  Paused:', info['ContainersPaused']);
  ln('  Stopped:', info['ContainersStopped']);
  ln(' Images:', info['Images']);
  nonEmpty(' Server Version:', info['ServerVersion']);
  nonEmpty(' Storage Driver:', info['Driver']);
  for (const [k, v] of info.DriverStatus ?? []) lines.push(`  ${k}: ${v}`);
  for (const [k, v] of info.SystemStatus ?? []) lines.push(` ${k}: ${v}`);
  nonEmpty(' Logging Driver:', info['LoggingDriver']);
  nonEmpty(' Cgroup Driver:', info['CgroupDriver']);
  nonEmpty(' Cgroup Version:', info['CgroupVersion']);
  ln(' Plugins:');
  ln('  Volume:', (info.Plugins?.Volume ?? []).join(' '));
  ln('  Network:', (info.Plugins?.Network ?? []).join(' '));
  if ((info.Plugins?.Authorization ?? []).length > 0) ln('  Authorization:', info.Plugins!.Authorization!.join(' '));
  ln('  Log:', (info.Plugins?.Log ?? []).join(' '));
  if ((info.CDISpecDirs ?? []).length > 0) {
    ln(' CDI spec directories:');
    for (const d of info.CDISpecDirs!) lines.push(`  ${d}`);
  }
  const swarm = info.Swarm ?? {};
  ln(' Swarm:', swarm.LocalNodeState ?? '');
  if (swarm.LocalNodeState && swarm.LocalNodeState !== 'inactive' && swarm.LocalNodeState !== 'locked') {
    ln('  NodeID:', swarm.NodeID ?? '');
    if (swarm.Error) ln('  Error:', swarm.Error);
    ln('  Is Manager:', swarm.ControlAvailable ?? false);
    ln('  Node Address:', swarm.NodeAddr ?? '');
  }
  const runtimes = Object.keys(info.Runtimes ?? {}).sort();
  if (runtimes.length > 0) {
    ln(' Runtimes:', runtimes.join(' '));
    ln(' Default Runtime:', info['DefaultRuntime']);
  }
  if (info['OSType'] === 'linux') {
    ln(' Init Binary:', info['InitBinary']);
    ln(' containerd version:', (info['ContainerdCommit'] as { ID?: string } | undefined)?.ID ?? '');
    ln(' runc version:', (info['RuncCommit'] as { ID?: string } | undefined)?.ID ?? '');
    ln(' init version:', (info['InitCommit'] as { ID?: string } | undefined)?.ID ?? '');
    if ((info.SecurityOptions ?? []).length > 0) {
      ln(' Security Options:');
      for (const so of info.SecurityOptions!) {
        const kv = Object.fromEntries(so.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
        lines.push(`  ${kv['name'] ?? so}`);
        if (kv['profile'] !== undefined) ln('   Profile:', kv['profile']);
      }
    }
  }
  if (info['OSType'] === 'windows') ln(' Default Isolation:', info['Isolation']);
  nonEmpty(' Kernel Version:', info['KernelVersion']);
  nonEmpty(' Operating System:', info['OperatingSystem']);
  nonEmpty(' OSType:', info['OSType']);
  nonEmpty(' Architecture:', info['Architecture']);
  ln(' CPUs:', info['NCPU']);
  ln(' Total Memory:', bytesSize(Number(info['MemTotal'] ?? 0)));
  nonEmpty(' Name:', info['Name']);
  nonEmpty(' ID:', info['ID']);
  ln(' Docker Root Dir:', info['DockerRootDir']);
  ln(' Debug Mode:', info['Debug'] ?? false);
  if (info['Debug'] === true || debugClient) {
    ln('  File Descriptors:', info['NFd']);
    ln('  Goroutines:', info['NGoroutines']);
    ln('  System Time:', info['SystemTime']);
    ln('  EventsListeners:', info['NEventsListener']);
  }
  nonEmpty(' HTTP Proxy:', info['HttpProxy']);
  nonEmpty(' HTTPS Proxy:', info['HttpsProxy']);
  nonEmpty(' No Proxy:', info['NoProxy']);
  if ((info.Labels ?? []).length > 0) {
    ln(' Labels:');
    for (const l of info.Labels!) lines.push(`  ${l}`);
  }
  ln(' Experimental:', info['ExperimentalBuild'] ?? false);
  const reg = info.RegistryConfig;
  if (reg && ((reg.InsecureRegistryCIDRs ?? []).length > 0 || Object.keys(reg.IndexConfigs ?? {}).length > 0)) {
    ln(' Insecure Registries:');
    for (const c of Object.values(reg.IndexConfigs ?? {})) if (!c.Secure) lines.push(`  ${c.Name}`);
    for (const cidr of reg.InsecureRegistryCIDRs ?? []) lines.push(`  ${cidr}`);
  }
  if (reg && (reg.Mirrors ?? []).length > 0) {
    ln(' Registry Mirrors:');
    for (const m of reg.Mirrors!) lines.push(`  ${m}`);
  }
  ln(' Live Restore Enabled:', info['LiveRestoreEnabled'] ?? false);
  if (str(info['ProductLicense']) !== '') ln(' Product License:', info['ProductLicense']);
  if ((info.DefaultAddressPools ?? []).length > 0) {
    ln(' Default Address Pools:');
    for (const p of info.DefaultAddressPools!) lines.push(`   Base: ${p.Base}, Size: ${p.Size}`);
  }
  lines.push('');
  const warnings = info.Warnings ?? [];
  return { out: lines.join('\n') + '\n', err: warnings.map((w) => `${w}\n`).join('') };
}

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const clientInfo = { Debug: false, Context: 'default', Version: clientVersion(), Plugins: [], Warnings: null };
    const format = inv.string('format');
    if (format) {
      let tmpl: Template;
      try {
        tmpl = new Template(format === 'json' ? '{{json .}}' : format);
      } catch (err) {
        throw new StatusError(64, `template parsing error: ${(err as Error).message}`);
      }
      const info = await inv.client().json<Info>('GET', '/info');
      try {
        io.stdout.write(`${tmpl.execute(withGoNames({ ...info, ClientInfo: clientInfo }))}\n`);
      } catch (err) {
        io.stdout.write('\n');
        throw new CliError((err as Error).message);
      }
      return 0;
    }
    io.stdout.write(`Client:\n Version:    ${clientInfo.Version}\n Context:    default\n Debug Mode: false\n\nServer:\n`);
    const info = await inv.client().json<Info>('GET', '/info');
    const r = renderInfo(info);
    io.stdout.write(r.out);
    io.stderr.write(r.err);
    return 0;
  });
}
