/**
 * Brings the 1.27-era upstream definitions closer to 1.32 using the npm
 * package kubernetes-types (1.30, generated from upstream swagger.json with
 * the field docs as comments):
 *  - fields added upstream after the snapshot (e.g. Container.restartPolicy
 *    for sidecars) are added, so Strict validation does not reject them;
 *  - descriptions the v2→v3 converter dropped next to `$ref`s are restored,
 *    so `kubectl explain` shows them;
 *  - types that did not exist yet are added as components.
 * Extension metadata (merge keys, list types) exists only for the original
 * fields; see docs/cluster-schemas.md.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import type { OpenApiSchema } from './types.js';

/** Module path inside kubernetes-types → component name prefix. */
function prefixOf(module: string): string | undefined {
  if (module === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (module === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (module === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (module === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (module.startsWith('apiextensions/')) return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${module.split('/')[1]}`;
  if (module.startsWith('apiregistration/')) return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${module.split('/')[1]}`;
  const [group, version] = module.split('/');
  return group !== undefined && version !== undefined ? `io.k8s.api.${group}.${version}` : undefined;
}

interface TsField {
  name: string;
  optional: boolean;
  type: string;
  doc: string | undefined;
}

interface TsInterface {
  name: string;
  doc: string | undefined;
  fields: TsField[];
}

const INTERFACE_RE = /(?:\/\*\*((?:[^*]|\*(?!\/))*)\*\/\s*)?export interface (\w+) \{\n([\s\S]*?)\n\}/g;
const FIELD_RE = /(?:\/\*\*((?:[^*]|\*(?!\/))*)\*\/\s*)?(\w+)(\??): ([^;]+);/g;
const IMPORT_RE = /import \{([^}]+)\} from "([^"]+)";/g;

function parseModule(text: string): { interfaces: TsInterface[]; imports: Map<string, string> } {
  const imports = new Map<string, string>();
  for (const m of text.matchAll(IMPORT_RE)) for (const n of m[1]!.split(',')) imports.set(n.trim(), m[2]!);
  const interfaces: TsInterface[] = [];
  for (const m of text.matchAll(INTERFACE_RE)) {
    const fields: TsField[] = [];
    for (const f of m[3]!.matchAll(FIELD_RE)) fields.push({ name: f[2]!, optional: f[3] === '?', type: f[4]!.trim(), doc: f[1]?.trim() });
    interfaces.push({ name: m[2]!, doc: m[1]?.trim(), fields });
  }
  return { interfaces, imports };
}

const ref = (name: string): OpenApiSchema => ({ $ref: `#/components/schemas/${name}` });

/** A TypeScript field type → an OpenAPI schema (best effort: numbers become int64 integers). */
function convert(type: string, resolveName: (n: string) => string | undefined): OpenApiSchema {
  const t = type.trim();
  if (t === 'string' || /^"[^"]*"$/.test(t)) return { type: 'string' };
  if (t === 'boolean') return { type: 'boolean' };
  if (t === 'number') return { type: 'integer', format: 'int64' };
  if (t === 'number | string') return ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  const arrayOf = /^Array<(.+)>$/.exec(t) ?? /^(\w+)\[\]$/.exec(t);
  if (arrayOf !== null) return { type: 'array', items: convert(arrayOf[1]!, resolveName) };
  const map = /^\{\s*\[\w+: string\]: (.+)\s*\}$/.exec(t);
  if (map !== null) return { type: 'object', additionalProperties: convert(map[1]!, resolveName) };
  const named = resolveName(t);
  return named === undefined ? {} : ref(named);
}

/** Adds a description; a `$ref` gets the upstream v3 form `allOf: [{$ref}]` so the sibling is not ignored. */
function withDoc(s: OpenApiSchema, doc: string | undefined): OpenApiSchema {
  if (doc === undefined || doc === '') return s;
  if (typeof s['$ref'] === 'string') {
    const rest: OpenApiSchema = { ...s };
    delete rest['$ref'];
    return { ...rest, allOf: [{ $ref: s['$ref'] }], description: doc };
  }
  return { ...s, description: doc };
}

function listModules(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.d.ts')) out.push(relative(root, p).slice(0, -'.d.ts'.length));
    }
  };
  walk(root);
  return out;
}

/** Applies the supplement to `schemas` in place; returns how many fields were added. */
export function supplementFromKubernetesTypes(schemas: Record<string, OpenApiSchema>): number {
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'));
  } catch {
    return 0;
  }
  let added = 0;
  for (const module of listModules(root)) {
    const prefix = prefixOf(module);
    if (prefix === undefined) continue;
    const { interfaces, imports } = parseModule(readFileSync(join(root, `${module}.d.ts`), 'utf8'));
    const local = new Set(interfaces.map((i) => i.name));
    const resolveName = (n: string): string | undefined => {
      if (n === 'Quantity') return 'io.k8s.apimachinery.pkg.api.resource.Quantity';
      if (local.has(n) || n === 'Time' && module === 'meta/v1' || n === 'MicroTime' && module === 'meta/v1') return `${prefix}.${n}`;
      const from = imports.get(n);
      if (from === undefined) return undefined;
      const target = prefixOf(join(module, '..', from).replace(/\\/g, '/'));
      return target === undefined ? undefined : `${target}.${n}`;
    };
    for (const iface of interfaces) {
      const name = `${prefix}.${iface.name}`;
      let schema = schemas[name];
      if (schema === undefined) {
        schema = withDoc({ type: 'object', properties: {} }, iface.doc);
        const required = iface.fields.filter((f) => !f.optional).map((f) => f.name);
        if (required.length > 0) schema['required'] = required;
        const apiVersion = iface.fields.find((f) => f.name === 'apiVersion')?.type;
        const kind = iface.fields.find((f) => f.name === 'kind')?.type;
        if (apiVersion !== undefined && kind !== undefined && /^"/.test(apiVersion) && /^"/.test(kind)) {
          const gv = JSON.parse(apiVersion) as string;
          const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
          schema['x-kubernetes-group-version-kind'] = [{ group, kind: JSON.parse(kind) as string, version }];
        }
        schemas[name] = schema;
      }
      // Free-form upstream types (RawExtension, FieldsV1) stay free-form.
      if (schema['properties'] === undefined) continue;
      const props = schema['properties'] as Record<string, OpenApiSchema>;
      for (const f of iface.fields) {
        const existing = props[f.name];
        if (existing === undefined) {
          props[f.name] = withDoc(convert(f.type, resolveName), f.doc);
          added++;
        } else if (existing['description'] === undefined && f.doc !== undefined) {
          props[f.name] = withDoc(existing, f.doc);
        }
      }
    }
  }
  return added;
}
