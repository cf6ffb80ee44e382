/**
 * Wires the module together behind SchemaService: one registry, and the
 * lookup, validator, discovery and OpenAPI views over it. Nothing heavy
 * happens here; the upstream definitions load on first schema use.
 */
import { validateAgainstCrdSchema } from './crd-validation.js';
import { decodeObject } from './decode.js';
import { applyKindDefaults, applySchemaDefaults } from './defaulting.js';
import { KubeDiscovery } from './discovery.js';
import { KubeOpenApi } from './openapi-v3.js';
import { KubeResourceRegistry } from './resource-registry.js';
import { KubeSchemaLookup } from './schema-lookup.js';
import { validateSemantics } from './semantic-validation.js';
import type { DecodeOptions, DecodeResult, FieldError, KubeObject, ResourceInfo, SchemaService, SchemaValidator, ValidateOptions } from './types.js';

class KubeValidator implements SchemaValidator {
  constructor(private readonly registry: KubeResourceRegistry, private readonly lookup: KubeSchemaLookup) {}

  decode(resource: ResourceInfo, obj: KubeObject, options: DecodeOptions): DecodeResult {
    return decodeObject(this.lookup, resource, obj, options);
  }

  validate(resource: ResourceInfo, obj: KubeObject, options: ValidateOptions): FieldError[] {
    const errs = validateSemantics(resource, obj, options);
    if (resource.crd !== undefined) {
      const schema = this.registry.crdSchema({ group: resource.group, version: resource.version, kind: resource.kind });
      if (schema !== undefined) errs.push(...validateAgainstCrdSchema(schema, obj));
    }
    return errs;
  }

  applyDefaults(resource: ResourceInfo, obj: KubeObject): void {
    if (resource.crd !== undefined) {
      applySchemaDefaults(obj, this.lookup.forKind({ group: resource.group, version: resource.version, kind: resource.kind }));
      return;
    }
    applyKindDefaults(resource, obj);
  }
}

export interface KubeSchemaService extends SchemaService {
  readonly registry: KubeResourceRegistry;
}

export function createSchemaService(): KubeSchemaService {
  const registry = new KubeResourceRegistry();
  const lookup = new KubeSchemaLookup(registry);
  return {
    registry,
    lookup,
    validator: new KubeValidator(registry, lookup),
    discovery: new KubeDiscovery(registry),
    openapi: new KubeOpenApi(registry),
  };
}
