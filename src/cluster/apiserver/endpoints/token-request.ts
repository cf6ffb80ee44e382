/**
 * TokenRequest (`POST …/serviceaccounts/<name>/token`): a signed JWT for an
 * existing service account, accepted by the bearer-token authenticator.
 */
import { readBody, decodeObject, mediaType } from '../http/body.js';
import { writeJson } from '../http/respond.js';
import { invalidError, methodNotSupportedError } from '../errors.js';
import { nowTimestamp } from '../rest/object-meta.js';
import type { Call, ServerServices } from '../rest/handler-context.js';

const MIN_EXPIRATION = 600;
const MAX_EXPIRATION = 2 ** 32;

export async function handleTokenRequest(s: ServerServices, c: Call): Promise<void> {
  if (c.info.verb !== 'create') throw methodNotSupportedError({ group: '', resource: 'serviceaccounts/token' }, c.info.verb);
  const sa = await s.writer.get(c.type, c.info.namespace, c.info.name);
  const body = await readBody(c.req);
  const req = body.length === 0 ? { metadata: {} } : decodeObject(body, mediaType(c.req), s.collab.protobuf);
  const spec = (req['spec'] ?? {}) as { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: { kind?: string; name?: string; uid?: string } };
  const expiration = spec.expirationSeconds ?? 3600;
  if (expiration < MIN_EXPIRATION || expiration > MAX_EXPIRATION) {
    throw invalidError({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, c.info.name, [
      { reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: `Invalid value: ${expiration}: may not specify a duration less than 10 minutes` },
    ]);
  }
  const bound = spec.boundObjectRef;
  const issued = s.tokens.issue({
    namespace: c.info.namespace,
    serviceAccountName: c.info.name,
    serviceAccountUid: sa.metadata.uid ?? '',
    audiences: spec.audiences ?? [],
    expirationSeconds: expiration,
    ...(bound?.kind !== undefined && bound.name !== undefined ? { boundObject: { kind: bound.kind, name: bound.name, uid: bound.uid ?? '' } } : {}),
  });
  writeJson(c.res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: c.info.name, namespace: c.info.namespace, creationTimestamp: nowTimestamp() },
    spec: { audiences: spec.audiences ?? [s.tokens.issuer], expirationSeconds: expiration, boundObjectRef: bound ?? null },
    status: { token: issued.token, expirationTimestamp: nowTimestamp(issued.expiresAt) },
  });
}
