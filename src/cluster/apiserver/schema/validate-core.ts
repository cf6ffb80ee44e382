/**
 * core/v1 validation beyond pods: services, config maps, secrets (including
 * `immutable`), persistent volume claims.
 */
import { fieldErrors, goStringSlice, root } from './field-errors.js';
import { asArr, asObj, asStr, immutable, type Obj } from './validate-meta.js';
import { validPort } from './validate-pod.js';
import { isDNS1123Label } from './name-validation.js';
import type { FieldError } from './types.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIG_SIZE = 1024 * 1024;

export function validateService(obj: Obj, old: Obj | undefined): FieldError[] {
  const spec = asObj(obj['spec']);
  const p = root('spec');
  const errs: FieldError[] = [];
  const type = spec['type'] ?? 'ClusterIP';
  if (!SERVICE_TYPES.includes(asStr(type))) errs.push(fieldErrors.notSupported(p.child('type').path, type, SERVICE_TYPES));
  const ports = asArr(spec['ports']);
  const headless = spec['clusterIP'] === 'None';
  if (type === 'ExternalName') {
    if (asStr(spec['externalName']) === '') errs.push(fieldErrors.required(p.child('externalName').path));
  } else if (ports.length === 0 && !headless) {
    errs.push(fieldErrors.required(p.child('ports').path));
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((raw, i) => {
    const port = asObj(raw);
    const pp = p.child('ports').index(i);
    const name = asStr(port['name']);
    if (ports.length > 1 && name === '') errs.push(fieldErrors.required(pp.child('name').path));
    if (name !== '') {
      for (const m of isDNS1123Label(name)) errs.push(fieldErrors.invalid(pp.child('name').path, name, m));
      if (names.has(name)) errs.push(fieldErrors.duplicate(pp.child('name').path, name));
      names.add(name);
    }
    const proto = port['protocol'] ?? 'TCP';
    if (!PROTOCOLS.includes(asStr(proto))) errs.push(fieldErrors.notSupported(pp.child('protocol').path, proto, PROTOCOLS));
    errs.push(...validPort(port['port'], pp.child('port').path));
    const key = `${String(port['port'])}/${String(proto)}`;
    if (seen.has(key)) errs.push(fieldErrors.duplicate(pp.path, { port: port['port'], protocol: proto }));
    seen.add(key);
    const tp = port['targetPort'];
    if (typeof tp === 'number') errs.push(...validPort(tp, pp.child('targetPort').path));
    if (port['nodePort'] !== undefined && (type === 'ClusterIP' || type === 'ExternalName')) {
      errs.push(fieldErrors.forbidden(pp.child('nodePort').path, `may not be used when \`type\` is '${String(type)}'`));
    }
  });
  const sa = spec['sessionAffinity'];
  if (sa !== undefined && sa !== 'None' && sa !== 'ClientIP') errs.push(fieldErrors.notSupported(p.child('sessionAffinity').path, sa, ['ClientIP', 'None']));
  if (old !== undefined) {
    const o = asObj(old['spec']);
    const oldIPs = asArr(o['clusterIPs']);
    const newIPs = asArr(spec['clusterIPs']);
    if (oldIPs.length > 0 && type !== 'ExternalName' && o['type'] !== 'ExternalName' && newIPs.length > 0 && newIPs[0] !== oldIPs[0]) {
      errs.push(fieldErrors.invalid(p.child('clusterIPs').index(0).path, goStringSlice(newIPs), 'may not change once set'));
    }
  }
  return errs;
}

function validateConfigKeys(data: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(asObj(data))) {
    if (k.length > 253) errs.push(fieldErrors.invalid(`${field}[${k}]`, k, 'must be no more than 253 characters'));
    if (!CONFIG_KEY.test(k)) {
      errs.push(fieldErrors.invalid(`${field}[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
    } else if (k === '.' || k === '..') {
      errs.push(fieldErrors.invalid(`${field}[${k}]`, k, `must not be '${k}'`));
    } else if (k.startsWith('..')) {
      errs.push(fieldErrors.invalid(`${field}[${k}]`, k, "must not start with '..'"));
    }
  }
  return errs;
}

function immutableData(obj: Obj, old: Obj | undefined, fields: string[]): FieldError[] {
  if (old === undefined || old['immutable'] !== true) return [];
  const errs: FieldError[] = [];
  if (obj['immutable'] !== true) errs.push(fieldErrors.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {})) errs.push(fieldErrors.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

function size(m: unknown): number {
  return Object.entries(asObj(m)).reduce((n, [k, v]) => n + k.length + asStr(v).length, 0);
}

export function validateConfigMap(obj: Obj, old: Obj | undefined): FieldError[] {
  const errs = [...validateConfigKeys(obj['data'], 'data'), ...validateConfigKeys(obj['binaryData'], 'binaryData')];
  for (const k of Object.keys(asObj(obj['data']))) {
    if (Object.prototype.hasOwnProperty.call(asObj(obj['binaryData']), k)) errs.push(fieldErrors.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
  }
  if (size(obj['data']) + size(obj['binaryData']) > MAX_CONFIG_SIZE) errs.push(fieldErrors.tooLong('', MAX_CONFIG_SIZE));
  errs.push(...immutableData(obj, old, ['data', 'binaryData']));
  return errs;
}

export function validateSecret(obj: Obj, old: Obj | undefined): FieldError[] {
  const errs = validateConfigKeys(obj['data'], 'data');
  const type = asStr(obj['type']);
  const data = asObj(obj['data']);
  if (type === 'kubernetes.io/service-account-token') {
    const ann = asObj(asObj(obj['metadata'])['annotations']);
    if (asStr(ann['kubernetes.io/service-account.name']) === '') errs.push(fieldErrors.required('metadata.annotations[kubernetes.io/service-account.name]'));
  } else if (type === 'kubernetes.io/dockerconfigjson' && data['.dockerconfigjson'] === undefined) {
    errs.push(fieldErrors.required('data[.dockerconfigjson]'));
  } else if (type === 'kubernetes.io/tls') {
    for (const k of ['tls.key', 'tls.crt']) if (data[k] === undefined) errs.push(fieldErrors.required(`data[${k}]`));
  } else if (type === 'kubernetes.io/basic-auth' && data['username'] === undefined && data['password'] === undefined) {
    errs.push(fieldErrors.required('data[username]'));
  } else if (type === 'kubernetes.io/ssh-auth' && data['ssh-privatekey'] === undefined) {
    errs.push(fieldErrors.required('data[ssh-privatekey]'));
  }
  if (size(data) > MAX_CONFIG_SIZE) errs.push(fieldErrors.tooLong('data', MAX_CONFIG_SIZE));
  if (old !== undefined && asStr(old['type']) !== '' && type !== asStr(old['type'])) errs.push(immutable('type', type));
  errs.push(...immutableData(obj, old, ['data']));
  return errs;
}

export function validatePersistentVolumeClaim(obj: Obj, old: Obj | undefined): FieldError[] {
  const spec = asObj(obj['spec']);
  const p = root('spec');
  const errs: FieldError[] = [];
  const modes = asArr(spec['accessModes']);
  if (modes.length === 0) errs.push(fieldErrors.required(p.child('accessModes').path, 'at least 1 access mode is required'));
  const valid = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
  modes.forEach((m) => {
    if (!valid.includes(asStr(m))) errs.push(fieldErrors.notSupported(p.child('accessModes').path, m, valid));
  });
  const storage = asObj(asObj(asObj(spec['resources'])['requests']))['storage'];
  if (storage === undefined) errs.push(fieldErrors.required(p.child('resources').key('storage').path));
  if (old !== undefined) {
    const o = asObj(old['spec']);
    const strip = (s: Obj): string => {
      const c: Obj = { ...s, resources: { ...asObj(s['resources']), requests: undefined } };
      delete c['volumeName'];
      delete c['volumeAttributesClassName'];
      return JSON.stringify(c);
    };
    if (strip(spec) !== strip(o)) errs.push(fieldErrors.forbidden(p.path, 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  return errs;
}
