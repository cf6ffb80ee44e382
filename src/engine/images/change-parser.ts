import { posix } from 'node:path';
import { invalidArgument, type ContainerConfig } from '../../core/index.js';
import { envLookup, parseJsonArray, processWord, processWords, splitWords } from './shell-lex.js';

/**
 * Applies `--change` lines (`docker import -c`, `docker commit -c`) to a
 * config, as Docker's BuildFromConfig does: Dockerfile syntax, a subset of
 * instructions, Docker's error messages. STOPSIGNAL is accepted too (newer
 * Docker accepts it; 20.10 refused it).
 */
const VALID = new Set(['cmd', 'entrypoint', 'healthcheck', 'env', 'expose', 'label', 'onbuild', 'user', 'volume', 'workdir', 'stopsignal']);

interface Instruction {
  name: string;
  rest: string;
  original: string;
}

function parseLines(changes: readonly string[]): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of changes.join('\n').split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (pending === '' && /^\s*(#.*)?$/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      pending += line.replace(/\\\s*$/, '');
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const m = /^(\S+)\s*([\s\S]*)$/.exec(full);
    if (m) out.push({ name: m[1]!.toLowerCase(), rest: m[2]!.trim(), original: full });
  }
  if (pending.trim() !== '') {
    const m = /^(\S+)\s*([\s\S]*)$/.exec(pending.trim());
    if (m) out.push({ name: m[1]!.toLowerCase(), rest: m[2]!.trim(), original: pending.trim() });
  }
  return out;
}

export function applyChanges(base: ContainerConfig, changes: readonly string[] | undefined): ContainerConfig {
  const list = parseLines(changes ?? []);
  if (list.length === 0) return base;
  for (const ins of list) if (!VALID.has(ins.name)) throw invalidArgument(`${ins.name} is not a valid change command`);
  const cfg: ContainerConfig = structuredClone(base);
  let cmdSet = false;
  for (const ins of list) {
    const env = envLookup(cfg.Env);
    const upper = ins.name.toUpperCase();
    switch (ins.name) {
      case 'env':
        for (const [k, v] of nameValues(ins.rest, upper)) setEnv(cfg, processWord(k, env), processWord(v, env), upper);
        break;
      case 'label':
        for (const [k, v] of nameValues(ins.rest, upper)) {
          const key = processWord(k, env);
          if (key === '') throw invalidArgument('LABEL names can not be blank');
          cfg.Labels = { ...(cfg.Labels ?? {}), [key]: processWord(v, env) };
        }
        break;
      case 'cmd':
        cfg.Cmd = commandForm(ins.rest, upper, cfg);
        cmdSet = true;
        break;
      case 'entrypoint':
        cfg.Entrypoint = commandForm(ins.rest, upper, cfg);
        if (!cmdSet) cfg.Cmd = null;
        break;
      case 'expose':
        exposePorts(cfg, ins.rest, env);
        break;
      case 'user':
        requireArgs(ins.rest, upper, 'exactly one argument');
        cfg.User = processWord(ins.rest, env);
        break;
      case 'workdir': {
        requireArgs(ins.rest, upper, 'exactly one argument');
        const dir = processWord(ins.rest, env);
        cfg.WorkingDir = dir.startsWith('/') ? posix.normalize(dir) : posix.join('/', cfg.WorkingDir ?? '', dir);
        break;
      }
      case 'volume':
        addVolumes(cfg, ins.rest, env);
        break;
      case 'stopsignal':
        requireArgs(ins.rest, upper, 'exactly one argument');
        cfg.StopSignal = checkSignal(processWord(ins.rest, env));
        break;
      case 'onbuild':
        cfg.OnBuild = [...(cfg.OnBuild ?? []), onbuildTrigger(ins)];
        break;
      case 'healthcheck':
        cfg.Healthcheck = healthcheck(ins.rest);
        break;
    }
  }
  return cfg;
}

function requireArgs(rest: string, name: string, what: string): void {
  if (rest.trim() === '') throw invalidArgument(`${name} requires ${what}`);
}

/** ENV/LABEL: `k=v k2="v 2"` or the legacy `ENV k v…` form. */
function nameValues(rest: string, name: string): [string, string][] {
  requireArgs(rest, name, 'at least one argument');
  const words = splitWords(rest);
  const first = words[0] ?? '';
  if (!first.includes('=')) {
    if (name !== 'ENV' || words.length < 2) throw invalidArgument(`${name} must have two arguments`);
    return [[first, rest.slice(rest.indexOf(first) + first.length).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) throw invalidArgument(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

function setEnv(cfg: ContainerConfig, key: string, value: string, name: string): void {
  if (key === '') throw invalidArgument(`${name} names can not be blank`);
  const env = [...(cfg.Env ?? [])];
  const i = env.findIndex((kv) => kv.split('=')[0] === key);
  if (i >= 0) env[i] = `${key}=${value}`;
  else env.push(`${key}=${value}`);
  cfg.Env = env;
}

function commandForm(rest: string, _name: string, cfg: ContainerConfig): string[] {
  const json = parseJsonArray(rest, _name);
  if (json !== undefined) return json;
  const shell = cfg.Shell && cfg.Shell.length > 0 ? cfg.Shell : ['/bin/sh', '-c'];
  return rest === '' ? [...shell] : [...shell, rest];
}

function exposePorts(cfg: ContainerConfig, rest: string, env: ReturnType<typeof envLookup>): void {
  requireArgs(rest, 'EXPOSE', 'at least one argument');
  const ports = { ...(cfg.ExposedPorts ?? {}) };
  for (const spec of processWords(rest, env)) {
    const [portPart = '', proto = 'tcp'] = spec.split('/');
    if (!['tcp', 'udp', 'sctp'].includes(proto.toLowerCase())) throw invalidArgument(`Invalid proto: ${proto}`);
    const m = /^(\d+)(?:-(\d+))?$/.exec(portPart);
    const start = m ? Number(m[1]) : NaN;
    const end = m?.[2] !== undefined ? Number(m[2]) : start;
    if (!m || start < 1 || start > 65535) throw invalidArgument(`Invalid containerPort: ${portPart}`);
    if (end < start || end > 65535) throw invalidArgument(`Invalid range specified for the Port: ${portPart}`);
    for (let p = start; p <= end; p++) ports[`${p}/${proto.toLowerCase()}`] = {};
  }
  if (Object.keys(ports).length > 0) cfg.ExposedPorts = ports;
}

function addVolumes(cfg: ContainerConfig, rest: string, env: ReturnType<typeof envLookup>): void {
  const json = parseJsonArray(rest, 'VOLUME');
  const list = json ?? splitWords(rest).map((w) => processWord(w, env));
  if (list.length === 0) throw invalidArgument('VOLUME requires at least one argument');
  const vols = { ...(cfg.Volumes ?? {}) };
  for (const v of list) {
    if (v.trim() === '') throw invalidArgument('VOLUME specified can not be an empty string');
    vols[v.trim()] = {};
  }
  cfg.Volumes = vols;
}

function onbuildTrigger(ins: Instruction): string {
  requireArgs(ins.rest, 'ONBUILD', 'at least one argument');
  const trigger = (/^\S+/.exec(ins.rest)?.[0] ?? '').toUpperCase();
  if (trigger === 'ONBUILD') throw invalidArgument('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
  if (trigger === 'FROM' || trigger === 'MAINTAINER') throw invalidArgument(`${trigger} isn't allowed as an ONBUILD trigger`);
  return ins.original.replace(/^\s*ONBUILD\s*/i, '');
}

const SIGNALS = ['HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'IOT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'IO', 'POLL', 'PWR', 'SYS'];

function checkSignal(sig: string): string {
  const n = Number(sig);
  if (Number.isInteger(n) && n > 0 && n < 65) return sig;
  const name = sig.toUpperCase().replace(/^SIG/, '');
  if (SIGNALS.includes(name) || /^RTM(IN|AX)([+-]\d+)?$/.test(name)) return sig;
  throw invalidArgument(`Invalid signal: ${sig}`);
}

function healthcheck(rest: string): NonNullable<ContainerConfig['Healthcheck']> {
  requireArgs(rest, 'HEALTHCHECK', 'at least one argument');
  const flags: Record<string, string> = {};
  let body = rest;
  for (;;) {
    const m = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(body);
    if (!m) break;
    if (!['interval', 'timeout', 'start-period', 'retries'].includes(m[1]!)) throw invalidArgument(`Unknown flag: ${m[1]}`);
    flags[m[1]!] = m[2] ?? '';
    body = body.slice(m[0].length);
  }
  const type = (/^\S+/.exec(body)?.[0] ?? '').toUpperCase();
  const args = body.slice(type.length).trim();
  if (type === 'NONE') {
    if (args !== '' || Object.keys(flags).length > 0) throw invalidArgument('HEALTHCHECK NONE takes no arguments');
    return { Test: ['NONE'] };
  }
  if (type !== 'CMD') throw invalidArgument(`Unknown type "${type}" in HEALTHCHECK (try CMD)`);
  if (args === '') throw invalidArgument('Missing command after HEALTHCHECK CMD');
  const json = parseJsonArray(args, 'HEALTHCHECK');
  const hc: NonNullable<ContainerConfig['Healthcheck']> = { Test: json ? ['CMD', ...json] : ['CMD-SHELL', args] };
  const interval = flags['interval'] !== undefined ? optInterval('interval', flags['interval']) : 0;
  const timeout = flags['timeout'] !== undefined ? optInterval('timeout', flags['timeout']) : 0;
  const start = flags['start-period'] !== undefined ? optInterval('start-period', flags['start-period']) : 0;
  if (interval) hc.Interval = interval;
  if (timeout) hc.Timeout = timeout;
  if (start) hc.StartPeriod = start;
  if (flags['retries'] !== undefined && flags['retries'] !== '') {
    const r = Number(flags['retries']);
    if (!Number.isInteger(r)) throw invalidArgument(`strconv.ParseInt: parsing "${flags['retries']}": invalid syntax`);
    if (r < 1) throw invalidArgument(`--retries must be at least 1 (not ${r})`);
    hc.Retries = r;
  }
  return hc;
}

function optInterval(name: string, value: string): number {
  if (value === '') return 0;
  const ns = parseGoDuration(value);
  if (ns === 0) return 0;
  if (ns < 0) throw invalidArgument(`Interval "${name}" cannot be negative`);
  if (ns < 1_000_000) throw invalidArgument(`Interval "${name}" cannot be less than 1ms`);
  return ns;
}

const UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, in nanoseconds. */
export function parseGoDuration(s: string): number {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(s);
  if (s === '0') return 0;
  if (!m) throw invalidArgument(`time: invalid duration "${s}"`);
  let total = 0;
  for (const part of s.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * UNITS[part[2]!]!;
  return Math.round(m[1] === '-' ? -total : total);
}
