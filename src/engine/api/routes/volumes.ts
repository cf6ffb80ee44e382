import { BerthError, errorMessage, invalidArgument, parseFilters, type Filters } from '../../../core/index.js';
import type { VolumeCreateBody, VolumeService } from '../../volumes/index.js';
import type { ApiRequest } from '../request.js';
import type { Router } from '../router.js';

export interface VolumeRouteDeps {
  volumes: VolumeService;
}

/** `/volumes` endpoints (API 1.41), as the docker CLI, compose and dockerode call them. */
export function registerVolumeRoutes(router: Router, deps: VolumeRouteDeps): void {
  const { volumes } = deps;

  router.get('/volumes', async (req, res) => {
    res.json(200, volumes.list(readFilters(req, (msg) => invalidArgument(`error reading volume filters: ${msg}`))));
  });

  router.post('/volumes/create', async (req, res) => {
    checkJsonContentType(req);
    const body = await readCreateBody(req);
    const volume = await volumes.create(body.Name, {
      ...(body.Driver !== undefined ? { driver: body.Driver } : {}),
      options: body.DriverOpts ?? null,
      labels: body.Labels ?? null,
    });
    res.json(201, volume);
  });

  router.post('/volumes/prune', async (req, res) => {
    // dockerd 20.10 answers a malformed prune filter with 500.
    const filters = readFilters(req, (msg) => new BerthError('Internal', msg));
    res.json(200, await volumes.prune(filters));
  });

  router.get('/volumes/{name}', async (req, res) => {
    res.json(200, volumes.get(req.param('name')));
  });

  router.delete('/volumes/{name}', async (req, res) => {
    await volumes.remove(req.param('name'), { force: req.bool('force') });
    res.empty(204);
  });
}

function readFilters(req: ApiRequest, wrap: (msg: string) => Error): Filters {
  const raw = req.string('filters');
  if (raw === undefined || raw === '') return new Map();
  try {
    JSON.parse(raw);
  } catch (err) {
    throw wrap(errorMessage(err));
  }
  return parseFilters(raw);
}

function checkJsonContentType(req: ApiRequest): void {
  const ct = req.header('content-type');
  if (ct === undefined || ct === '') return;
  if (ct.split(';')[0]?.trim().toLowerCase() === 'application/json') return;
  throw invalidArgument(`Content-Type specified (${ct}) must be 'application/json'`);
}

async function readCreateBody(req: ApiRequest): Promise<VolumeCreateBody> {
  const buf = await req.body();
  if (buf.toString('utf8').trim() === '') throw invalidArgument('got EOF while reading request body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw invalidArgument(errorMessage(err));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidArgument('json: cannot unmarshal into Go value of type volume.VolumeCreateBody');
  const body = parsed as Record<string, unknown>;
  for (const field of ['Name', 'Driver'] as const) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'string') {
      throw invalidArgument(`json: cannot unmarshal ${goType(body[field])} into Go struct field VolumeCreateBody.${field} of type string`);
    }
  }
  for (const field of ['DriverOpts', 'Labels'] as const) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw invalidArgument(`json: cannot unmarshal ${goType(value)} into Go struct field VolumeCreateBody.${field} of type map[string]string`);
    }
    for (const v of Object.values(value as Record<string, unknown>)) {
      if (typeof v !== 'string') throw invalidArgument(`json: cannot unmarshal ${goType(v)} into Go struct field VolumeCreateBody.${field} of type string`);
    }
  }
  return {
    ...(typeof body['Name'] === 'string' ? { Name: body['Name'] } : {}),
    ...(typeof body['Driver'] === 'string' ? { Driver: body['Driver'] } : {}),
    ...(body['DriverOpts'] ? { DriverOpts: body['DriverOpts'] as Record<string, string> } : {}),
    ...(body['Labels'] ? { Labels: body['Labels'] as Record<string, string> } : {}),
  };
}

/** The JSON kind as Go's decoder names it in errors. */
function goType(v: unknown): string {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return 'string';
}
