import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaService, invalidMessage, toStatusCauses, findDuplicateFields, isDNS1123Label, type KubeObject, type ResourceInfo } from '../../../../src/cluster/apiserver/schema/index.js';

const s = createSchemaService();
const res = (group: string, version: string, resource: string): ResourceInfo => {
  const r = s.registry.get(group, version, resource);
  assert.ok(r, `${group}/${version}/${resource}`);
  return r;
};

function deployment(overrides: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...overrides,
    },
  };
}

/** Decode, default and validate as the API server does; returns the 422 message or '' when valid. */
function check(r: ResourceInfo, obj: KubeObject, old?: KubeObject): string {
  const decoded = s.validator.decode(r, structuredClone(obj), { fieldValidation: 'Strict' });
  assert.equal(decoded.badRequest, undefined);
  s.validator.applyDefaults(r, decoded.object);
  const errs = s.validator.validate(r, decoded.object, old === undefined ? { operation: 'create' } : { operation: 'update', old });
  const name = String((decoded.object.metadata as Record<string, unknown>)['name'] ?? '');
  return errs.length === 0 ? '' : invalidMessage(r.group, r.kind, name, errs);
}

test('a valid deployment passes', () => {
  assert.equal(check(res('apps', 'v1', 'deployments'), deployment()), '');
});

test('negative replicas: the exact Kubernetes 422 message and causes', () => {
  const r = res('apps', 'v1', 'deployments');
  const obj = deployment({ replicas: -1 });
  assert.equal(check(r, obj), 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  const errs = s.validator.validate(r, obj, { operation: 'create' });
  assert.deepEqual(toStatusCauses(errs), [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }]);
});

test('selector must match template labels; several errors are aggregated in brackets', () => {
  const obj = deployment({ template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'c' }] } } });
  assert.equal(check(res('apps', 'v1', 'deployments'), obj),
    'Deployment.apps "web" is invalid: [spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`, spec.template.spec.containers[0].image: Required value]');
});

test('deployment selector is immutable on update', () => {
  const r = res('apps', 'v1', 'deployments');
  const old = deployment();
  const next = deployment({ selector: { matchLabels: { app: 'web2' } }, template: { metadata: { labels: { app: 'web2' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } });
  assert.equal(check(r, next, old),
    'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable');
});

test('Strict rejects unknown and duplicate fields with the strict decoding error; Warn warns; Ignore prunes silently', () => {
  const r = res('apps', 'v1', 'deployments');
  const raw = '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","name":"web"},"spec":{"replicas":1,"foo":true,"template":{"spec":{"containers":[{"name":"c","image":"x","bogus":1}]}}}}';
  const strict = s.validator.decode(r, JSON.parse(raw) as KubeObject, { fieldValidation: 'Strict', rawBody: raw });
  assert.equal(strict.badRequest, 'strict decoding error: unknown field "spec.foo", unknown field "spec.template.spec.containers[0].bogus", duplicate field "metadata.name"');
  const warn = s.validator.decode(r, JSON.parse(raw) as KubeObject, { fieldValidation: 'Warn', rawBody: raw });
  assert.equal(warn.badRequest, undefined);
  assert.deepEqual(warn.warnings, ['unknown field "spec.foo"', 'unknown field "spec.template.spec.containers[0].bogus"', 'duplicate field "metadata.name"']);
  const ignore = s.validator.decode(r, JSON.parse(raw) as KubeObject, { fieldValidation: 'Ignore', rawBody: raw });
  assert.deepEqual(ignore.warnings, []);
  assert.equal(ignore.badRequest, undefined);
  const spec = ignore.object['spec'] as Record<string, unknown>;
  assert.equal('foo' in spec, false);
  assert.deepEqual((((spec['template'] as Record<string, unknown>)['spec'] as Record<string, unknown>)['containers'] as unknown[])[0], { name: 'c', image: 'x' });
});

test('labels, annotations and free-form fields are not reported as unknown', () => {
  const r = res('', 'v1', 'configmaps');
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' }, annotations: { 'x/y': 'z' } }, data: { 'k.txt': 'v' } };
  const d = s.validator.decode(r, cm, { fieldValidation: 'Strict' });
  assert.equal(d.badRequest, undefined);
  assert.deepEqual(d.object, cm);
});

test('a value of the wrong JSON type is the Go decoder error (400) for built-ins', () => {
  const r = res('apps', 'v1', 'deployments');
  const d = s.validator.decode(r, deployment({ replicas: 'three' }), { fieldValidation: 'Ignore' });
  assert.equal(d.badRequest, 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  // int-or-string and quantities accept both.
  const ok = s.validator.decode(r, deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' } } }), { fieldValidation: 'Strict' });
  assert.equal(ok.badRequest, undefined);
});

test('pod names, container fields and policies use Kubernetes messages', () => {
  const r = res('', 'v1', 'pods');
  const pod: KubeObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Web_1', namespace: 'default' },
    spec: { restartPolicy: 'Sometimes', containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 70000 }] }, { name: 'c', image: 'y', imagePullPolicy: 'Maybe' }] },
  };
  const msg = check(r, pod);
  assert.ok(msg.startsWith('Pod "Web_1" is invalid: ['));
  for (const part of [
    'metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.containers[1].name: Duplicate value: "c"',
    'spec.containers[1].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"',
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  ]) assert.ok(msg.includes(part), `missing: ${part}\nin: ${msg}`);
});

test('missing name and a pod without containers', () => {
  const r = res('', 'v1', 'pods');
  assert.equal(check(r, { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default' }, spec: {} }),
    'Pod "" is invalid: [metadata.name: Required value: name or generateName is required, spec.containers: Required value]');
});

test('pod spec is immutable except images', () => {
  const r = res('', 'v1', 'pods');
  const old: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'a' }] } };
  s.validator.applyDefaults(r, old);
  const imageOnly = structuredClone(old);
  ((imageOnly['spec'] as Record<string, unknown>)['containers'] as Array<Record<string, unknown>>)[0]!['image'] = 'b';
  assert.equal(check(r, imageOnly, old), '');
  const other = structuredClone(old);
  (other['spec'] as Record<string, unknown>)['hostname'] = 'h';
  assert.match(check(r, other, old), /^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
});

test('name rules differ per kind: namespaces are DNS labels, services DNS-1035 labels', () => {
  assert.match(check(res('', 'v1', 'namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }),
    /^Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of/);
  assert.match(check(res('', 'v1', 'services'), { apiVersion: 'v1', kind: 'Service', metadata: { name: '1svc', namespace: 'd' }, spec: { ports: [{ port: 80 }] } }),
    /^Service "1svc" is invalid: metadata.name: Invalid value: "1svc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/);
  assert.deepEqual(isDNS1123Label('ok-name'), []);
});

test('service ports are required and validated', () => {
  const r = res('', 'v1', 'services');
  assert.equal(check(r, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'd' }, spec: {} }), 'Service "svc" is invalid: spec.ports: Required value');
  assert.equal(check(r, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'd' }, spec: { ports: [{ name: 'a', port: 80 }, { port: 81 }] } }),
    'Service "svc" is invalid: spec.ports[1].name: Required value');
});

test('immutable config maps and secrets reject data changes', () => {
  const r = res('', 'v1', 'configmaps');
  const old: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd' }, data: { a: '1' }, immutable: true };
  const next = { ...structuredClone(old), data: { a: '2' } };
  assert.equal(check(r, next, old), 'ConfigMap "c" is invalid: data: Forbidden: field is immutable when `immutable` is set');
  const sr = res('', 'v1', 'secrets');
  const oldSecret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'd' }, type: 'Opaque', data: { a: 'MQ==' } };
  assert.equal(check(sr, { ...structuredClone(oldSecret), type: 'kubernetes.io/basic-auth', data: { username: 'dQ==' } }, oldSecret),
    'Secret "s" is invalid: type: Invalid value: "kubernetes.io/basic-auth": field is immutable');
});

test('CRD objects are validated against their structural schema and pruned', () => {
  const svc = createSchemaService();
  svc.registry.registerCrd({
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com', scope: 'Namespaced', names: { plural: 'crontabs', kind: 'CronTab' },
      versions: [{
        name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', required: ['cronSpec'], properties: {
          cronSpec: { type: 'string', pattern: '^(\\S+ ){4}\\S+$' },
          replicas: { type: 'integer', minimum: 1, default: 1 },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        } } } } },
      }],
    },
  });
  const r = svc.registry.get('stable.example.com', 'v1', 'crontabs')!;
  const obj: KubeObject = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'x', namespace: 'd' }, spec: { replicas: 'two', junk: 1, extra: { any: { thing: 1 } } } };
  const strict = svc.validator.decode(r, structuredClone(obj), { fieldValidation: 'Strict' });
  assert.equal(strict.badRequest, 'strict decoding error: unknown field "spec.junk"');
  const d = svc.validator.decode(r, structuredClone(obj), { fieldValidation: 'Ignore' });
  assert.deepEqual(d.object['spec'], { replicas: 'two', extra: { any: { thing: 1 } } });
  const errs = svc.validator.validate(r, d.object, { operation: 'create' });
  assert.equal(invalidMessage(r.group, r.kind, 'x', errs),
    'CronTab.stable.example.com "x" is invalid: [spec.cronSpec: Required value, spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"]');
  const defaulted: KubeObject = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'y', namespace: 'd' }, spec: { cronSpec: '* * * * *' } };
  svc.validator.applyDefaults(r, defaulted);
  assert.deepEqual(defaulted['spec'], { cronSpec: '* * * * *', replicas: 1 });
  assert.deepEqual(svc.validator.validate(r, defaulted, { operation: 'create' }), []);
  const bad = { ...defaulted, spec: { cronSpec: 'nope', replicas: 0 } };
  assert.equal(invalidMessage(r.group, r.kind, 'y', svc.validator.validate(r, bad, { operation: 'create' })),
    'CronTab.stable.example.com "y" is invalid: [spec.cronSpec: Invalid value: "nope": spec.cronSpec in body should match \'^(\\S+ ){4}\\S+$\', spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1]');
});

test('duplicate field scanner reports nested paths with indexes', () => {
  assert.deepEqual(findDuplicateFields('{"a":1,"b":{"c":[{"d":1,"d":2}],"c":3},"a":{"x":"}"}}'), ['b.c[0].d', 'b.c', 'a']);
  assert.deepEqual(findDuplicateFields('{"a":"\\"a\\"","b":[1,2,{}]}'), []);
  // Escaped quotes and backslashes in keys and values, and keys that differ only once unescaped.
  assert.deepEqual(findDuplicateFields('{"k\\"q":1,"v":"x\\\\","k\\"q":2,"\\u0061":1,"a":2,"w":"\\\\\\"","w":3}'), ['k"q', 'a', 'w']);
});

test('fields newer than the OpenAPI snapshot (from kubernetes-types 1.30) are accepted under Strict', () => {
  const r = res('', 'v1', 'pods');
  const pod: KubeObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd' },
    spec: { initContainers: [{ name: 'side', image: 'x', restartPolicy: 'Always' }], containers: [{ name: 'c', image: 'y' }] },
  };
  assert.equal(s.validator.decode(r, pod, { fieldValidation: 'Strict' }).badRequest, undefined);
  const job = res('batch', 'v1', 'jobs');
  const d = s.validator.decode(job, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { managedBy: 'x', successPolicy: { rules: [{ succeededCount: 1 }] }, nope: 1 } }, { fieldValidation: 'Strict' });
  assert.equal(d.badRequest, 'strict decoding error: unknown field "spec.nope"');
});

test('free-form fields (managedFields fieldsV1, RawExtension, int-or-string, quantities) decode under Strict', () => {
  const d = s.validator.decode(res('apps', 'v1', 'deployments'), deployment({
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '0%' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: 1, memory: '1Gi' } }, livenessProbe: { httpGet: { port: 'http' } } }] } },
  }), { fieldValidation: 'Strict' });
  assert.equal(d.badRequest, undefined);
  const withManaged = deployment();
  (withManaged.metadata as Record<string, unknown>)['managedFields'] = [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
  assert.equal(s.validator.decode(res('apps', 'v1', 'deployments'), withManaged, { fieldValidation: 'Strict' }).badRequest, undefined);
  const rev: KubeObject = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1, data: { spec: { template: { anything: true } } } };
  assert.equal(s.validator.decode(res('apps', 'v1', 'controllerrevisions'), rev, { fieldValidation: 'Strict' }).badRequest, undefined);
});

test('quantities: bad syntax is the decoder 400, requests above limits a 422', () => {
  const r = res('apps', 'v1', 'deployments');
  const withResources = (resources: unknown): KubeObject => deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x', resources }] } } });
  assert.equal(s.validator.decode(r, withResources({ limits: { memory: '1Gb' } }), { fieldValidation: 'Strict' }).badRequest,
    "Deployment in version \"v1\" cannot be handled as a Deployment: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  assert.equal(check(r, withResources({ requests: { cpu: '2', memory: '64Mi' }, limits: { cpu: 1, memory: '1Gi' } })),
    'Deployment.apps "web" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1');
  assert.equal(check(r, withResources({ requests: { cpu: '500m', memory: '1e3' }, limits: { cpu: '1', memory: '1Ki' } })), '');
});

test('CRD embedded resources keep apiVersion, kind and metadata', () => {
  const svc = createSchemaService();
  svc.registry.registerCrd({
    metadata: { name: 'wrappers.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { plural: 'wrappers', kind: 'Wrapper' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: {
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      } } } } } }],
    },
  });
  const r = svc.registry.get('example.com', 'v1', 'wrappers')!;
  const obj: KubeObject = { apiVersion: 'example.com/v1', kind: 'Wrapper', metadata: { name: 'w', namespace: 'd' }, spec: { template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec: { a: 1 }, junk: true } } };
  const d = svc.validator.decode(r, obj, { fieldValidation: 'Warn' });
  assert.deepEqual(d.warnings, ['unknown field "spec.template.junk"']);
  assert.deepEqual((d.object['spec'] as Record<string, unknown>)['template'], { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec: { a: 1 } });
});

test('container port names and probes', () => {
  const r = res('', 'v1', 'pods');
  const pod = (container: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd' }, spec: { containers: [{ name: 'c', image: 'x', ...container }] } });
  assert.equal(check(r, pod({ ports: [{ name: 'http_port', containerPort: 80 }] })),
    'Pod "p" is invalid: spec.containers[0].ports[0].name: Invalid value: "http_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  assert.equal(check(r, pod({ livenessProbe: { periodSeconds: 5 } })), 'Pod "p" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type');
  assert.equal(check(r, pod({ readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } })),
    'Pod "p" is invalid: spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type');
  assert.equal(check(r, pod({ livenessProbe: { httpGet: { port: 'http' }, successThreshold: 2 } })),
    'Pod "p" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1');
  assert.equal(check(r, pod({ ports: [{ name: 'http', containerPort: 80 }], readinessProbe: { httpGet: { port: 'http' }, successThreshold: 2 } })), '');
});

test('CRD int-or-string reports one type error; an uncompilable schema does not fail writes', () => {
  const svc = createSchemaService();
  const crd = (schema: Record<string, unknown>, name: string): KubeObject => ({
    metadata: { name: `${name}s.example.com` },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: `${name}s`, kind: name[0]!.toUpperCase() + name.slice(1) }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
  });
  svc.registry.registerCrd(crd({ type: 'object', properties: { spec: { type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } } } }, 'knob'));
  const r = svc.registry.get('example.com', 'v1', 'knobs')!;
  const errs = svc.validator.validate(r, { apiVersion: 'example.com/v1', kind: 'Knob', metadata: { name: 'k', namespace: 'd' }, spec: { port: 1.5 } }, { operation: 'create' });
  assert.deepEqual(errs.map((e) => `${e.field}: ${e.message}`), ['spec.port: Invalid value: "number": spec.port in body must be of type integer,string: "number"']);
  svc.registry.registerCrd(crd({ type: 'object', properties: { spec: { type: 'objekt' } } }, 'odd'));
  const odd = svc.registry.get('example.com', 'v1', 'odds')!;
  assert.deepEqual(svc.validator.validate(odd, { apiVersion: 'example.com/v1', kind: 'Odd', metadata: { name: 'o', namespace: 'd' }, spec: {} }, { operation: 'create' }), []);
});

test('CustomResourceDefinition objects: name, storage version, schema', () => {
  const r = res('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  const crd = (over: Record<string, unknown>, name = 'things.example.com'): KubeObject => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'things', kind: 'Thing' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }], ...over },
  });
  assert.equal(check(r, crd({})), '');
  assert.equal(check(r, crd({}, 'thing.example.com')),
    'CustomResourceDefinition.apiextensions.k8s.io "thing.example.com" is invalid: metadata.name: Invalid value: "thing.example.com": must be spec.names.plural+"."+spec.group');
  assert.equal(check(r, crd({ versions: [{ name: 'v1', served: true, storage: false }] })),
    'CustomResourceDefinition.apiextensions.k8s.io "things.example.com" is invalid: [spec.versions: Invalid value: ["v1"]: must have exactly one version marked as storage version, spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required]');
});

test('ReplicationControllers select with a label map, defaulted from the template', () => {
  const rc = res('', 'v1', 'replicationcontrollers');
  const obj = (selector: Record<string, string> | undefined, labels: Record<string, string>): KubeObject => ({
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc', namespace: 'default' },
    spec: { ...(selector === undefined ? {} : { selector }), template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  });
  assert.equal(check(rc, obj({ b: '2', a: '1' }, { a: '1', b: '2', c: '3' })), '');
  assert.equal(check(rc, obj(undefined, { a: '1' })), '', 'the selector defaults to the template labels');
  assert.equal(check(rc, obj({ a: '2' }, { a: '1' })),
    'ReplicationController "rc" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"a":"1"}: `selector` does not match template `labels`');
  assert.equal(check(rc, obj(undefined, {})), 'ReplicationController "rc" is invalid: spec.selector: Required value');
});

test('StatefulSet pod templates are not validated as pods (mounts may name volumeClaimTemplates), as upstream', () => {
  const sts = res('apps', 'v1', 'statefulsets');
  const obj = (extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' },
    spec: {
      serviceName: 'db', selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres', volumeMounts: [{ name: 'data', mountPath: '/d' }] }], ...extra } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  });
  assert.equal(check(sts, obj()), '');
  assert.equal(check(sts, obj({ activeDeadlineSeconds: 5 })), 'StatefulSet.apps "db" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported');
});
