import { invalidArgument, labelsMatch, notFound, type Filters } from '../../core/index.js';
import type { ContainerRecord } from './types.js';

/** `docker ps` status text: "Up 2 minutes", "Exited (0) 3 seconds ago"… */
export function statusText(rec: ContainerRecord, now = Date.now()): string {
  const s = rec.State;
  switch (s.Status) {
    case 'created':
      return 'Created';
    case 'running':
    case 'paused': {
      const health = s.Health && s.Health.Status !== 'none' ? ` (${s.Health.Status === 'starting' ? 'health: starting' : s.Health.Status})` : '';
      return `Up ${humanDuration(now - Date.parse(s.StartedAt))}${s.Status === 'paused' ? ' (Paused)' : health}`;
    }
    case 'restarting':
      return `Restarting (${s.ExitCode}) ${humanDuration(now - Date.parse(s.FinishedAt))} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    case 'exited':
      return s.FinishedAt.startsWith('0001') ? 'Exited' : `Exited (${s.ExitCode}) ${humanDuration(now - Date.parse(s.FinishedAt))} ago`;
  }
}

/** Go's units.HumanDuration, as the docker CLI and dockerd print it. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

export function quoteCommand(rec: ContainerRecord): string {
  // dockerd wraps an argument holding a space in single quotes, nothing more (no escaping).
  return [rec.Path, ...rec.Args].map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ');
}

const FILTER_KEYS = ['id', 'name', 'label', 'status', 'exited', 'ancestor', 'before', 'since', 'volume', 'network', 'health', 'isolation', 'is-task', 'publish', 'expose'];

export interface ListContext {
  /** Resolves an image reference to its id, or undefined. */
  imageId(ref: string): string | undefined;
  /** Resolves a container reference (for before/since). */
  find(idOrName: string): ContainerRecord | undefined;
}

const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];
const HEALTH = ['starting', 'healthy', 'unhealthy', 'none'];

/** dockerd's checks on `ps` filters, with its messages. */
export function validateListFilters(filters: Filters): void {
  for (const key of filters.keys()) if (!FILTER_KEYS.includes(key)) throw invalidArgument(`Invalid filter '${key}'`);
  for (const v of filters.get('status') ?? []) if (!STATUSES.includes(v)) throw invalidArgument(`Invalid filter 'status=${v}'`);
  for (const v of filters.get('health') ?? []) if (!HEALTH.includes(v)) throw invalidArgument(`Unrecognised filter value for health: ${v}`);
  for (const v of filters.get('exited') ?? []) if (!/^[+-]?\d+$/.test(v)) throw invalidArgument(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
  const task = filters.get('is-task') ?? [];
  if (task.length > 0 && !(task.length === 1 && ['true', 'false', '1', '0'].includes(task[0] ?? ''))) throw invalidArgument(`Invalid filter 'is-task=[${task.join(' ')}]'`);
}

/** Docker's `GET /containers/json` selection: all/limit/size plus filters. */
export function selectContainers(all: ContainerRecord[], filters: Filters, opts: { all: boolean; limit?: number }, ctx: ListContext): ContainerRecord[] {
  validateListFilters(filters);
  const one = (key: string, test: (v: string) => boolean): boolean => {
    const values = filters.get(key);
    return values === undefined || values.length === 0 || values.some(test);
  };
  const created = (r: ContainerRecord): number => Date.parse(r.Created);
  const before = filters.get('before')?.[0];
  const since = filters.get('since')?.[0];
  const ref = (x: string): ContainerRecord => {
    const found = ctx.find(x);
    if (!found) throw notFound(`no such container ${x}`); // dockerd's wording for before/since
    return found;
  };
  const beforeRec = before !== undefined ? ref(before) : undefined;
  const sinceRec = since !== undefined ? ref(since) : undefined;
  const showAll = opts.all || filters.has('status') || filters.has('exited') || opts.limit !== undefined && opts.limit > 0 || beforeRec !== undefined || sinceRec !== undefined;
  let out = all
    .filter((r) => showAll || r.State.Running || r.State.Status === 'paused' || r.State.Status === 'restarting')
    .filter((r) =>
      one('id', (v) => r.Id.startsWith(v)) &&
      one('name', (v) => new RegExp(v).test(`/${r.Name}`)) &&
      labelsMatch(filters, r.Config.Labels) &&
      one('status', (v) => v === r.State.Status) &&
      one('exited', (v) => r.State.Status === 'exited' && String(r.State.ExitCode) === v) &&
      one('ancestor', (v) => r.ImageName === v || r.Image === v || r.Image === `sha256:${v}` || ctx.imageId(v) === r.Image) &&
      one('volume', (v) => r.Mounts.some((m) => m.Name === v || m.Destination === v || m.Source === v)) &&
      one('network', (v) => Object.entries(r.NetworkSettings.Networks).some(([name, ep]) => name === v || ep.NetworkID?.startsWith(v))) &&
      one('health', (v) => (r.State.Health?.Status ?? 'none') === v) &&
      one('is-task', (v) => v === 'false' || v === '0') &&
      one('publish', (v) => Object.keys(r.HostConfig.PortBindings ?? {}).some((p) => p === v || p === `${v}/tcp`)) &&
      one('expose', (v) => Object.keys(r.Config.ExposedPorts ?? {}).some((p) => p === v || p === `${v}/tcp`)) &&
      (beforeRec === undefined || created(r) < created(beforeRec)) &&
      (sinceRec === undefined || created(r) > created(sinceRec)),
    )
    .sort((a, b) => created(b) - created(a));
  if (opts.limit !== undefined && opts.limit > 0) out = out.slice(0, opts.limit);
  return out;
}

/** One entry of `GET /containers/json` (ContainerSummary). */
export function summarize(rec: ContainerRecord, now = Date.now()): Record<string, unknown> {
  const ports: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] = [];
  const bound = rec.NetworkSettings.Ports ?? {};
  for (const key of new Set([...Object.keys(rec.Config.ExposedPorts ?? {}), ...Object.keys(bound)])) {
    const [port, proto] = key.split('/');
    const bindings = bound[key];
    if (bindings && bindings.length > 0 && rec.State.Running) {
      for (const b of bindings) ports.push({ IP: b.HostIp || '0.0.0.0', PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: proto ?? 'tcp' });
    } else ports.push({ PrivatePort: Number(port), Type: proto ?? 'tcp' });
  }
  return {
    Id: rec.Id,
    Names: [`/${rec.Name}`],
    Image: rec.ImageName,
    ImageID: rec.Image,
    Command: quoteCommand(rec),
    Created: Math.floor(Date.parse(rec.Created) / 1000),
    Ports: ports,
    Labels: rec.Config.Labels ?? {},
    State: rec.State.Status,
    Status: statusText(rec, now),
    HostConfig: { NetworkMode: rec.HostConfig.NetworkMode ?? 'default' },
    NetworkSettings: { Networks: rec.NetworkSettings.Networks },
    Mounts: rec.Mounts,
  };
}
