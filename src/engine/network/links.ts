import { invalidArgument } from '../../core/index.js';

/** A legacy `--link` as dockerd stores it: `/<target>:/<container>/<alias>`. */
export interface LinkSpec {
  /** Target container name (without '/'). */
  target: string;
  alias: string;
}

/** Parses `name`, `name:alias` or the stored `/name:/container/alias` form. */
export function parseLink(spec: string): LinkSpec {
  const colon = spec.indexOf(':');
  const namePart = colon >= 0 ? spec.slice(0, colon) : spec;
  const aliasPart = colon >= 0 ? spec.slice(colon + 1) : namePart;
  const target = namePart.replace(/^\//, '');
  const alias = aliasPart.split('/').filter(Boolean).pop() ?? '';
  if (target === '' || alias === '') throw invalidArgument(`invalid link: ${spec}`);
  return { target, alias };
}

export function normalizeLink(link: LinkSpec, containerName: string): string {
  return `/${link.target}:/${containerName}/${link.alias}`;
}

interface PortKey {
  num: number;
  proto: string;
}

function parsePortKey(key: string): PortKey {
  const [num = '0', proto = 'tcp'] = key.split('/');
  return { num: Number(num), proto };
}

function byTcpFirst(a: PortKey, b: PortKey): number {
  if (a.proto === b.proto) return a.num - b.num;
  if (a.proto === 'tcp') return -1;
  if (b.proto === 'tcp') return 1;
  return a.proto < b.proto ? -1 : 1;
}

/**
 * The environment a legacy link gives the linking container
 * (`ALIAS_PORT_80_TCP_ADDR=…`, `ALIAS_NAME=/me/alias`, `ALIAS_ENV_X=…`),
 * with dockerd's ordering and its _START/_END variables for port ranges.
 */
export function linkEnv(linkName: string, childIp: string, exposedPorts: readonly string[], childEnv: readonly string[]): string[] {
  const alias = (linkName.split('/').pop() ?? '').toUpperCase().replace(/-/g, '_');
  const ports = exposedPorts.map(parsePortKey).sort(byTcpFirst);
  const env: string[] = [];
  let start: PortKey | undefined;
  let end: PortKey | undefined;
  ports.forEach((p, i) => {
    if (i === 0) {
      start = p;
      end = p;
      env.push(`${alias}_PORT=${p.proto}://${childIp}:${p.num}`);
    }
    const prefix = `${alias}_PORT_${p.num}_${p.proto.toUpperCase()}`;
    env.push(`${prefix}=${p.proto}://${childIp}:${p.num}`, `${prefix}_ADDR=${childIp}`, `${prefix}_PORT=${p.num}`, `${prefix}_PROTO=${p.proto}`);
    if (end && p.num === end.num + 1 && p.proto === end.proto) {
      end = p;
      if (i < ports.length - 1) return;
    }
    if (start && end && (start.num !== end.num || start.proto !== end.proto)) {
      const rp = `${alias}_PORT_${start.num}_${start.proto.toUpperCase()}`;
      env.push(`${rp}_START=${start.proto}://${childIp}:${start.num}`, `${rp}_PORT_START=${start.num}`);
      env.push(`${rp}_END=${end.proto}://${childIp}:${end.num}`, `${rp}_PORT_END=${end.num}`);
    }
    start = p;
    end = p;
  });
  env.push(`${alias}_NAME=${linkName}`);
  for (const v of childEnv) {
    const eq = v.indexOf('=');
    if (eq < 0) continue;
    const key = v.slice(0, eq);
    if (key === 'HOME' || key === 'PATH') continue;
    env.push(`${alias}_ENV_${key}=${v.slice(eq + 1)}`);
  }
  return env;
}
