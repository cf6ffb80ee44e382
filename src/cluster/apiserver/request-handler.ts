/**
 * The request pipeline: authenticate → parse the request → authorize →
 * route (non-resource endpoint or resource handler) → render errors as
 * Status (http/status.ts, the one mapping) → record metrics.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logger } from '../../core/index.js';
import type { Authenticator } from './auth/index.js';
import { forbiddenError, forbiddenPathError, unauthorizedError } from './errors.js';
import { handleNonResource, type NonResourceDeps } from './endpoints/non-resource.js';
import { parseRequestInfo } from './http/request-info.js';
import { writeStatus } from './http/respond.js';
import { toStatus } from './http/status.js';
import type { ServerServices } from './rest/handler-context.js';
import { routeResource } from './resource-router.js';
import type { RequestInfo, UserInfo } from './types.js';

const log = logger('apiserver.request');

/** Health endpoints stay reachable without credentials, for probes. */
const publicPaths = /^\/(healthz|livez|readyz)(\/|$)/;

function forbidden(user: UserInfo, info: RequestInfo, reason: string): Error {
  const suffix = reason === '' ? '' : `: ${reason}`;
  if (!info.isResourceRequest) return forbiddenPathError(`User "${user.username}" cannot ${info.verb} path "${info.path}"${suffix}`);
  const res = info.subresource === '' ? info.resource : `${info.resource}/${info.subresource}`;
  const scope = info.namespace === '' ? 'at the cluster scope' : `in the namespace "${info.namespace}"`;
  return forbiddenError({ group: info.group, resource: info.resource }, info.name, `User "${user.username}" cannot ${info.verb} resource "${res}" in API group "${info.group}" ${scope}${suffix}`);
}

export class RequestHandler {
  constructor(
    private readonly services: ServerServices,
    private readonly authenticator: Authenticator,
    private readonly nonResource: NonResourceDeps,
    private readonly stopping: AbortSignal,
  ) {}

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    void this.serve(req, res);
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'https://berth.invalid');
    const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    // The request's signal (client gone or server stopping) is made on first use: only watches need it.
    let ac: AbortController | undefined;
    const abort = () => ac?.abort();
    const signal = (): AbortSignal => {
      if (ac === undefined) {
        ac = new AbortController();
        if (res.closed || this.stopping.aborted) ac.abort();
        res.on('close', abort);
        this.stopping.addEventListener('abort', abort);
      }
      return ac.signal;
    };
    try {
      const user = await this.authenticator.authenticate(req);
      if (user === undefined && !publicPaths.test(url.pathname)) throw unauthorizedError();
      const who = user ?? { username: 'system:anonymous', groups: ['system:unauthenticated'] };
      if (user !== undefined) {
        const decision = await this.services.authorizer.authorize({ ...info, user: who });
        if (!decision.allowed) throw forbidden(who, info, decision.reason);
      }
      if (!info.isResourceRequest) {
        await handleNonResource(this.nonResource, url.pathname, url.searchParams, req.headers.accept, res);
      } else {
        await routeResource(this.services, {
          req, res, info, user: who, query: url.searchParams, signal,
          authenticateToken: (token) => this.authenticator.authenticateToken(token),
        });
      }
    } catch (err) {
      const status = toStatus(err);
      if ((status.code ?? 500) >= 500) log.warn('request failed', { method: req.method, path: url.pathname, code: status.code, message: status.message });
      // Drain what the client still sends so that the connection stays usable.
      if (!req.complete) req.resume();
      if (res.headersSent) res.end();
      else writeStatus(res, status);
    } finally {
      if (ac !== undefined) {
        res.off('close', abort);
        this.stopping.removeEventListener('abort', abort);
      }
      this.services.metrics.observeRequest(
        { verb: metricsVerb(info.verb, req.headers['content-type']), group: info.group, version: info.version, resource: info.resource, subresource: info.subresource, scope: scopeOf(info) },
        res.statusCode, (performance.now() - started) / 1000,
      );
    }
  }
}

/** Server-side apply is reported as APPLY, like upstream. */
function metricsVerb(verb: string, contentType: string | undefined): string {
  return verb === 'patch' && (contentType ?? '').startsWith('application/apply-patch') ? 'apply' : verb;
}

function scopeOf(info: RequestInfo): string {
  if (!info.isResourceRequest) return '';
  if (info.name !== '') return 'resource';
  return info.namespace !== '' ? 'namespace' : 'cluster';
}
