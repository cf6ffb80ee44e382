/** Builds the API server's collaborators from the sibling modules. */
import type { Collaborators, PatchPort, PrinterPort } from './collaborators.js';
import { schemaPort } from './default-collaborators.js';
import { createPatchService, parsePatchContentType, structureFromSchemaNode, validatePatchOptions } from './patch/index.js';
import { printTable, type PrintableResource } from './printers/index.js';
import { createProtobufCodec } from './protobuf/index.js';
import { createSchemaService, type ResourceInfo, type SchemaService } from './schema/index.js';
import type { KubeObject } from './types.js';

function printerPort(): PrinterPort {
  return {
    toTable(type, objects, options) {
      const info = type.source as ResourceInfo | undefined;
      const resource: PrintableResource = { group: type.group, resource: type.resource, kind: type.kind };
      if (type.crd !== undefined) resource.crd = type.crd;
      if (info?.printerColumns !== undefined) resource.printerColumns = info.printerColumns;
      const table = printTable(resource, objects as never[], {
        apiVersion: options.apiVersion, includeObject: options.includeObject, noHeaders: options.noHeaders,
        ...(options.listMeta === undefined ? {} : { listMeta: options.listMeta as { resourceVersion?: string } }),
      });
      return table as unknown as KubeObject;
    },
  };
}

function patchPort(schema: SchemaService): PatchPort {
  const service = createPatchService({
    structureFor: (gvk) => {
      const node = schema.lookup.forKind(gvk);
      return node === undefined ? undefined : structureFromSchemaNode(node);
    },
  });
  return {
    patchType: (contentType, customResource) => parsePatchContentType(contentType, customResource),
    validateOptions: (options) => validatePatchOptions(options),
    // Text, not a Buffer: the patch module treats any object-typed body as already decoded.
    patch: (request) => {
      const r = service.patch({ ...request, patch: Buffer.from(request.patch).toString('utf8') });
      return { object: r.object as unknown as KubeObject, warnings: r.warnings };
    },
    recordUpdate: (args) => service.recordUpdate(args),
  };
}

export function buildCollaborators(): Collaborators {
  const schema = createSchemaService();
  const protobuf = createProtobufCodec();
  return {
    schema: schemaPort(schema), printers: printerPort(), patch: patchPort(schema),
    protobuf: { decode: (body) => protobuf.decode(body) as unknown as KubeObject },
  };
}
