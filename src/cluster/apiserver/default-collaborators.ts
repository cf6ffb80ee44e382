/**
 * Adapters from the sibling modules (schema, printers, patch, protobuf) to
 * the ports in collaborators.ts.
 */
import type { DiscoveryDocuments, FieldError, KubeObject as SchemaObject, ResourceInfo, SchemaService } from './schema/index.js';
import type { SchemaPort, ValidationResult } from './collaborators.js';
import type { FieldCause, KubeObject, ResourceType } from './types.js';

function toType(info: ResourceInfo): ResourceType {
  const t: ResourceType = {
    group: info.group, version: info.version, resource: info.resource, kind: info.kind, listKind: info.listKind,
    singular: info.singular, namespaced: info.namespaced, shortNames: info.shortNames, categories: info.categories,
    verbs: info.verbs, hasStatus: info.subresources.some((s) => s.name === 'status'), source: info,
  };
  if (info.scale !== undefined) t.scale = { ...info.scale };
  if (info.crd !== undefined) t.crd = info.crd;
  return t;
}

function causes(errors: readonly FieldError[]): FieldCause[] {
  return errors.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
}

/** Replaces obj's contents with pruned's (decode returns a pruned copy). */
function replaceContents(obj: KubeObject, pruned: SchemaObject): void {
  if ((pruned as unknown) === obj) return;
  for (const k of Object.keys(obj)) if (!(k in pruned)) delete obj[k];
  Object.assign(obj, pruned);
}

export function schemaPort(service: SchemaService, serverAddress?: () => string): SchemaPort {
  let cache: { generation: number; list: ResourceType[]; byGvr: Map<string, ResourceType> } | undefined;
  const types = () => {
    const gen = service.registry.generation;
    if (cache === undefined || cache.generation !== gen) {
      const list = service.registry.all().map(toType);
      cache = { generation: gen, list, byGvr: new Map(list.map((t) => [`${t.group}/${t.version}/${t.resource}`, t])) };
    }
    return cache;
  };
  const info = (type: ResourceType): ResourceInfo =>
    (type.source as ResourceInfo | undefined) ?? service.registry.get(type.group, type.version, type.resource) ?? (() => { throw new Error(`unknown resource ${type.group}/${type.resource}`); })();
  const discovery: DiscoveryDocuments = service.discovery;
  return {
    resources: () => types().list,
    lookup: (group, version, resource) => types().byGvr.get(`${group}/${version}/${resource}`),
    validate(type, obj, options): ValidationResult {
      const ri = info(type);
      const decoded = service.validator.decode(ri, obj as SchemaObject, {
        fieldValidation: options.fieldValidation, subresource: options.subresource,
        ...(options.rawBody === undefined ? {} : { rawBody: options.rawBody }),
      });
      replaceContents(obj, decoded.object);
      const result: ValidationResult = { causes: causes(decoded.invalid), warnings: decoded.warnings };
      if (decoded.badRequest !== undefined) result.badRequest = decoded.badRequest;
      const semantic = service.validator.validate(ri, obj as SchemaObject, {
        operation: options.operation, subresource: options.subresource, ...(options.old === undefined ? {} : { old: options.old as SchemaObject }),
      });
      result.causes.push(...causes(semantic));
      return result;
    },
    applyDefaults: (type, obj) => service.validator.applyDefaults(info(type), obj as SchemaObject),
    discoveryRoot: (prefix, aggregated) => {
      if (aggregated) return discovery.aggregated(prefix);
      return prefix === 'api' ? discovery.apiVersions(serverAddress?.()) : discovery.apiGroupList();
    },
    discoveryGroupVersion: (group, version) => discovery.apiResourceList(group, version),
    discoveryGroup: (group) => discovery.apiGroup(group),
    openapiV3Index: () => service.openapi.v3Index(),
    openapiV3: (path) => service.openapi.v3Document(path),
    openapiV2: () => service.openapi.v2Document(),
    registerCrd: (crd) => {
      const r = service.registry.registerCrd(crd as SchemaObject);
      return r.accepted ? { accepted: true } : { accepted: false, reason: r.reason, message: r.message };
    },
    unregisterCrd: (name) => service.registry.unregisterCrd(name),
  };
}
