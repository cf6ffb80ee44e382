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
    const body = await req.json<NetworkCreateBody>();
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
    await networks.connect(req.param('id'), await req.json<ConnectBody>());
    res.empty(200);
  });

  router.post('/networks/{id}/disconnect', async (req, res) => {
    checkJsonContentType(req);
    await networks.disconnect(req.param('id'), await req.json<DisconnectBody>());
    res.empty(200);
  });
}

function checkJsonContentType(req: ApiRequest): void {
  const ct = req.header('content-type');
  if (ct === undefined || ct === '') return;
  if (ct.split(';')[0]?.trim().toLowerCase() === 'application/json') return;
  throw invalidArgument(`Content-Type specified (${ct}) must be 'application/json'`);
}
