import { invalidArgument, notFound } from '../../../core/index.js';
import type { ConnectBody, DisconnectBody, NetworkCreateBody, NetworkService } from '../../network/index.js';
import type { ApiRequest } from '../request.js';
import type { Router } from '../router.js';

export interface NetworkRouteDeps {
  networks: NetworkService;
}

/** `/networks` endpoints (API 1.41), as the docker CLI, compose and dockerode call them. */
export function registerNetworkRoutes(router: Router, deps: NetworkRouteDeps): void {
  const { networks } = deps;

  router.get('/networks', async (req, res) => {
    res.json(200, networks.list(req.filters()));
  });

  router.post('/networks/create', async (req, res) => {
    checkJsonContentType(req);
    const body = checkTypes(await readBody(req), 'NetworkCreateRequest', CREATE_FIELDS) as NetworkCreateBody;
    res.json(201, await networks.create(body));
  });

  router.post('/networks/prune', async (req, res) => {
    res.json(200, await networks.prune(req.filters()));
  });

  router.get('/networks/{id}', async (req, res) => {
    const found = networks.inspect(req.param('id'));
    const scope = req.string('scope');
    // Every Berth network is local: a request for another scope finds nothing.
    if (scope !== undefined && scope !== '' && scope !== 'local') throw notFound(`network ${req.param('id')} not found`);
    res.json(200, found);
  });

  router.delete('/networks/{id}', async (req, res) => {
    await networks.remove(req.param('id'));
    res.empty(204);
  });

  router.post('/networks/{id}/connect', async (req, res) => {
    checkJsonContentType(req);
    const body = checkTypes(await readBody(req), 'NetworkConnect', { Container: 'string' }) as ConnectBody;
    requireContainer(body.Container);
    await networks.connect(req.param('id'), body);
    res.empty(200);
  });

  router.post('/networks/{id}/disconnect', async (req, res) => {
    checkJsonContentType(req);
    const body = checkTypes(await readBody(req), 'NetworkDisconnect', { Container: 'string', Force: 'bool' }) as DisconnectBody;
    requireContainer(body.Container);
    await networks.disconnect(req.param('id'), body);
    res.empty(200);
  });
}

function checkJsonContentType(req: ApiRequest): void {
  const ct = req.header('content-type');
  if (ct === undefined || ct === '') return;
  if (ct.split(';')[0]?.trim().toLowerCase() === 'application/json') return;
  throw invalidArgument(`Content-Type specified (${ct}) must be 'application/json'`);
}

type GoType = 'string' | 'bool' | 'map[string]string';

const CREATE_FIELDS: Record<string, GoType> = {
  Name: 'string',
  Driver: 'string',
  Scope: 'string',
  CheckDuplicate: 'bool',
  Internal: 'bool',
  Attachable: 'bool',
  Ingress: 'bool',
  EnableIPv6: 'bool',
  ConfigOnly: 'bool',
  Options: 'map[string]string',
  Labels: 'map[string]string',
};

/** dockerd's answers to an empty or non-object body. */
async function readBody(req: ApiRequest): Promise<Record<string, unknown>> {
  const text = (await req.body()).toString('utf8');
  if (text.trim() === '') throw invalidArgument('got EOF while reading request body');
  const parsed = await req.json<unknown>();
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidArgument('json: cannot unmarshal into Go value of type types.NetworkCreateRequest');
  return parsed as Record<string, unknown>;
}

function goKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
}

/** Go's decoder refuses mistyped fields with this wording (null is fine: it means unset). */
function checkTypes(body: Record<string, unknown>, struct: string, fields: Record<string, GoType>): Record<string, unknown> {
  for (const [field, type] of Object.entries(fields)) {
    const v = body[field];
    if (v === undefined || v === null) continue;
    const fail = (got: unknown, as: string = type) => invalidArgument(`json: cannot unmarshal ${goKind(got)} into Go struct field ${struct}.${field} of type ${as}`);
    if (type === 'string' && typeof v !== 'string') throw fail(v);
    if (type === 'bool' && typeof v !== 'boolean') throw fail(v);
    if (type === 'map[string]string') {
      if (typeof v !== 'object' || Array.isArray(v)) throw fail(v);
      for (const item of Object.values(v as Record<string, unknown>)) if (typeof item !== 'string') throw fail(item, 'string');
    }
  }
  return body;
}

function requireContainer(container: string | undefined): void {
  if (container === undefined || container === '') throw invalidArgument('invalid name or ID supplied: ""');
}
