import { invalidArgument, type ContainerCreateBody } from '../../../core/index.js';
import { selectContainers, summarize, type ContainerService, type WaitCondition } from '../../containers/index.js';
import type { ApiRequest } from '../request.js';
import type { Router } from '../router.js';
import { compareVersions } from '../version.js';
import { registerAttachRoutes } from './container-attach.js';
import { registerContainerLogRoutes } from './container-logs.js';

export interface ContainerRouteDeps {
  containers: ContainerService;
  /** Image reference → image id, for the `ancestor` filter. */
  imageId(ref: string): string | undefined;
}

const WAIT_CONDITIONS: WaitCondition[] = ['not-running', 'next-exit', 'removed'];

export function registerContainerRoutes(router: Router, deps: ContainerRouteDeps): void {
  const { containers } = deps;

  router.get('/containers/json', async (req, res) => {
    const limit = req.int('limit');
    const selected = selectContainers(containers.list(), req.filters(), { all: req.bool('all'), ...(limit !== undefined ? { limit } : {}) }, {
      imageId: deps.imageId,
      find: (x) => containers.find(x),
    });
    const now = Date.now();
    res.json(200, selected.map((r) => summarize(r, now)));
  });

  router.post('/containers/create', async (req, res) => {
    requireJson(req);
    const body = await req.json<ContainerCreateBody>();
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidArgument('Config cannot be empty in order to create a container');
    res.json(201, await containers.create(body, req.string('name')));
  });

  router.get('/containers/{id}/json', async (req, res) => {
    res.json(200, containers.inspect(req.param('id')));
  });

  router.get('/containers/{id}/top', async (req, res) => {
    res.json(200, await containers.top(req.param('id'), req.string('ps_args')));
  });

  router.post('/containers/{id}/start', async (req, res) => {
    await containers.lifecycle.start(req.param('id'));
    res.empty(204);
  });

  router.post('/containers/{id}/stop', async (req, res) => {
    await containers.lifecycle.stop(req.param('id'), req.int('t'), req.string('signal'));
    res.empty(204);
  });

  router.post('/containers/{id}/restart', async (req, res) => {
    await containers.lifecycle.restart(req.param('id'), req.int('t'));
    res.empty(204);
  });

  router.post('/containers/{id}/kill', async (req, res) => {
    await containers.lifecycle.kill(req.param('id'), req.string('signal') || 'SIGKILL');
    res.empty(204);
  });

  router.post('/containers/{id}/pause', async (req, res) => {
    await containers.lifecycle.pause(req.param('id'));
    res.empty(204);
  });

  router.post('/containers/{id}/unpause', async (req, res) => {
    await containers.lifecycle.unpause(req.param('id'));
    res.empty(204);
  });

  router.post('/containers/{id}/rename', async (req, res) => {
    const name = req.string('name');
    if (!name) throw invalidArgument('Neither old nor new names may be empty');
    await containers.rename(req.param('id'), name);
    res.empty(204);
  });

  router.post('/containers/{id}/resize', async (req, res) => {
    const h = req.int('h');
    const w = req.int('w');
    if (h === undefined || w === undefined) throw invalidArgument('invalid resize parameters');
    await containers.resize(req.param('id'), h, w);
    res.empty(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  router.post('/containers/{id}/wait', async (req, res) => {
    let condition = (req.string('condition') || 'not-running') as WaitCondition;
    if (!WAIT_CONDITIONS.includes(condition)) {
      // API 1.41 (dockerd 20.10) waits for not-running on an unknown condition; 400 came with 1.42.
      if (compareVersions(req.version, '1.42') >= 0) throw invalidArgument(`invalid condition: "${condition}"`);
      condition = 'not-running';
    }
    const waiter = containers.wait(req.param('id'), condition);
    // Headers at once: `docker run` only sends /start after they arrive.
    const out = res.stream(200, { 'Content-Type': 'application/json' });
    let gone = false;
    res.onClientGone(() => {
      gone = true;
      waiter.cancel();
    });
    const result = await waiter.promise;
    // Go's ContainerWaitResponse field order.
    if (!gone) out.end(JSON.stringify({ Error: result.Error, StatusCode: result.StatusCode }) + '\n');
  });

  router.delete('/containers/{id}', async (req, res) => {
    await containers.remove(req.param('id'), { force: req.bool('force'), volumes: req.bool('v') });
    res.empty(204);
  });

  router.post('/containers/prune', async (req, res) => {
    const filters = req.filters();
    for (const key of filters.keys()) if (key !== 'label' && key !== 'label!' && key !== 'until') throw invalidArgument(`Invalid filter '${key}'`);
    const until = filters.get('until')?.[0];
    const untilMs = until === undefined ? Infinity : parseUntil(until);
    res.json(200, await containers.prune((rec) => {
      const labels = rec.Config.Labels ?? {};
      const has = (v: string): boolean => {
        const eq = v.indexOf('=');
        return eq < 0 ? v in labels : labels[v.slice(0, eq)] === v.slice(eq + 1);
      };
      return (filters.get('label') ?? []).every(has) && !(filters.get('label!') ?? []).some(has) && Date.parse(rec.Created) < untilMs;
    }));
  });

  router.post('/containers/{id}/exec', async (req, res) => {
    requireJson(req);
    res.json(201, containers.execs.create(req.param('id'), await req.json()));
  });

  registerAttachRoutes(router, containers);
  registerContainerLogRoutes(router, containers);
}

/** dockerd's CheckForJSON: no Content-Type, or application/json. */
function requireJson(req: ApiRequest): void {
  const ct = req.header('content-type');
  if (ct === undefined || ct === '') return;
  const mediaType = ct.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') throw invalidArgument(`Content-Type specified (${ct}) must be 'application/json'`);
}

function parseUntil(v: string): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const m = /^(\d+)(s|m|h)$/.exec(v);
  if (m) return Date.now() - Number(m[1]) * { s: 1e3, m: 6e4, h: 3.6e6 }[m[2] as 's' | 'm' | 'h'];
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalidArgument(`invalid filter 'until=${v}'`);
  return t;
}

