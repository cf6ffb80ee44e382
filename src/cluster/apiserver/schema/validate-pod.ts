/**
 * Pod and pod-template validation: the subset of pkg/apis/core/validation
 * users hit in practice (containers, images, ports, env, volumes, policies),
 * with Kubernetes' field paths and messages.
 */
import { fieldErrors, type FieldPath } from './field-errors.js';
import { isDNS1123Label, isValidPathSegmentName, isValidPortName } from './name-validation.js';
import { parseQuantity } from './quantity.js';
import { asArr, asObj, asStr, nonNegative, validateAnnotations, validateLabels } from './validate-meta.js';
import type { FieldError } from './types.js';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function validPort(v: unknown, field: string, required = true): FieldError[] {
  if (v === undefined || v === null) return required ? [fieldErrors.required(field)] : [];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) return [fieldErrors.invalid(field, v, 'must be between 1 and 65535, inclusive')];
  return [];
}

function validateContainer(c: Record<string, unknown>, path: FieldPath, volumes: Set<string>, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const name = asStr(c['name']);
  if (name === '') errs.push(fieldErrors.required(path.child('name').path));
  else {
    for (const m of isDNS1123Label(name)) errs.push(fieldErrors.invalid(path.child('name').path, name, m));
    if (names.has(name)) errs.push(fieldErrors.duplicate(path.child('name').path, name));
    names.add(name);
  }
  if (asStr(c['image']).trim() === '') errs.push(fieldErrors.required(path.child('image').path));
  const pull = c['imagePullPolicy'];
  if (pull !== undefined && !PULL_POLICIES.includes(asStr(pull))) errs.push(fieldErrors.notSupported(path.child('imagePullPolicy').path, pull, PULL_POLICIES));
  const tmp = c['terminationMessagePolicy'];
  if (tmp !== undefined && !TERMINATION_MESSAGE_POLICIES.includes(asStr(tmp))) {
    errs.push(fieldErrors.notSupported(path.child('terminationMessagePolicy').path, tmp, TERMINATION_MESSAGE_POLICIES));
  }
  errs.push(...validateResources(c['resources'], path.child('resources')));
  const portNames = new Set<string>();
  asArr(c['ports']).forEach((raw, i) => {
    const p = asObj(raw);
    const pp = path.child('ports').index(i);
    errs.push(...validPort(p['containerPort'], pp.child('containerPort').path));
    if (p['hostPort'] !== undefined && p['hostPort'] !== 0) errs.push(...validPort(p['hostPort'], pp.child('hostPort').path));
    const proto = p['protocol'];
    if (proto !== undefined && !PROTOCOLS.includes(asStr(proto))) errs.push(fieldErrors.notSupported(pp.child('protocol').path, proto, PROTOCOLS));
    const pn = asStr(p['name']);
    if (pn !== '') {
      for (const m of isValidPortName(pn)) errs.push(fieldErrors.invalid(pp.child('name').path, pn, m));
      if (portNames.has(pn)) errs.push(fieldErrors.duplicate(pp.child('name').path, pn));
      portNames.add(pn);
    }
  });
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (c[kind] !== undefined && c[kind] !== null) errs.push(...validateProbe(asObj(c[kind]), path.child(kind), kind !== 'readinessProbe'));
  }
  asArr(c['env']).forEach((raw, i) => {
    const e = asObj(raw);
    const ep = path.child('env').index(i).child('name');
    const n = asStr(e['name']);
    if (n === '') errs.push(fieldErrors.required(ep.path));
    else if (!ENV_VAR_NAME.test(n)) {
      errs.push(fieldErrors.invalid(ep.path, n, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"));
    }
  });
  asArr(c['volumeMounts']).forEach((raw, i) => {
    const m = asObj(raw);
    const mp = path.child('volumeMounts').index(i);
    const n = asStr(m['name']);
    if (n === '') errs.push(fieldErrors.required(mp.child('name').path));
    else if (!volumes.has(n)) errs.push(fieldErrors.notFound(mp.child('name').path, n));
    if (asStr(m['mountPath']) === '') errs.push(fieldErrors.required(mp.child('mountPath').path));
  });
  return errs;
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

/** validateProbe + validateHandler: exactly one handler, sane thresholds, valid ports. */
function validateProbe(probe: Record<string, unknown>, path: FieldPath, successMustBeOne: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const present = HANDLERS.filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (present.length === 0) errs.push(fieldErrors.required(path.path, 'must specify a handler type'));
  for (const extra of present.slice(1)) errs.push(fieldErrors.forbidden(path.child(extra).path, 'may not specify more than 1 handler type'));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonNegative(probe[f], path.child(f).path));
  }
  if (successMustBeOne && typeof probe['successThreshold'] === 'number' && probe['successThreshold'] !== 1) {
    errs.push(fieldErrors.invalid(path.child('successThreshold').path, probe['successThreshold'], 'must be 1'));
  }
  for (const h of ['httpGet', 'tcpSocket']) {
    const port = asObj(probe[h])['port'];
    if (probe[h] === undefined) continue;
    const pp = path.child(h).child('port').path;
    if (typeof port === 'number') errs.push(...validPort(port, pp));
    else if (typeof port === 'string') for (const m of isValidPortName(port)) errs.push(fieldErrors.invalid(pp, port, m));
    else errs.push(fieldErrors.required(pp));
  }
  return errs;
}

const quantityText = (v: unknown): string => (typeof v === 'number' ? String(v) : asStr(v));

/** ValidateResourceRequirements: non-negative quantities, requests not above limits. */
function validateResources(resources: unknown, path: FieldPath): FieldError[] {
  const r = asObj(resources);
  const limits = asObj(r['limits']);
  const requests = asObj(r['requests']);
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(limits)) {
    const v = parseQuantity(q);
    if (v !== undefined && v < 0) errs.push(fieldErrors.invalid(path.child('limits').key(name).path, quantityText(q), 'must be greater than or equal to 0'));
  }
  for (const [name, q] of Object.entries(requests)) {
    const v = parseQuantity(q);
    if (v === undefined) continue;
    if (v < 0) errs.push(fieldErrors.invalid(path.child('requests').key(name).path, quantityText(q), 'must be greater than or equal to 0'));
    const limit = parseQuantity(limits[name]);
    if (limit !== undefined && v > limit) {
      errs.push(fieldErrors.invalid(path.child('requests').path, quantityText(q), `must be less than or equal to ${name} limit of ${quantityText(limits[name])}`));
    }
  }
  return errs;
}

export function validatePodSpec(spec: Record<string, unknown>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const volumes = new Set<string>();
  asArr(spec['volumes']).forEach((raw, i) => {
    const v = asObj(raw);
    const vp = path.child('volumes').index(i).child('name');
    const n = asStr(v['name']);
    if (n === '') errs.push(fieldErrors.required(vp.path));
    else {
      for (const m of isDNS1123Label(n)) errs.push(fieldErrors.invalid(vp.path, n, m));
      if (volumes.has(n)) errs.push(fieldErrors.duplicate(vp.path, n));
      volumes.add(n);
    }
  });
  const names = new Set<string>();
  const containers = asArr(spec['containers']);
  if (containers.length === 0) errs.push(fieldErrors.required(path.child('containers').path));
  containers.forEach((c, i) => errs.push(...validateContainer(asObj(c), path.child('containers').index(i), volumes, names)));
  asArr(spec['initContainers']).forEach((c, i) => errs.push(...validateContainer(asObj(c), path.child('initContainers').index(i), volumes, names)));
  const rp = spec['restartPolicy'];
  if (rp !== undefined && !RESTART_POLICIES.includes(asStr(rp))) errs.push(fieldErrors.notSupported(path.child('restartPolicy').path, rp, RESTART_POLICIES));
  const dp = spec['dnsPolicy'];
  if (dp !== undefined && !DNS_POLICIES.includes(asStr(dp))) errs.push(fieldErrors.notSupported(path.child('dnsPolicy').path, dp, DNS_POLICIES));
  errs.push(...nonNegative(spec['terminationGracePeriodSeconds'], path.child('terminationGracePeriodSeconds').path));
  const ads = spec['activeDeadlineSeconds'];
  if (typeof ads === 'number' && ads < 1) errs.push(fieldErrors.invalid(path.child('activeDeadlineSeconds').path, ads, 'must be between 1 and 2147483647, inclusive'));
  const sa = asStr(spec['serviceAccountName']);
  if (sa !== '') for (const m of isValidPathSegmentName(sa)) errs.push(fieldErrors.invalid(path.child('serviceAccountName').path, sa, m));
  const nodeName = asStr(spec['nodeName']);
  if (nodeName !== '' && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(nodeName)) errs.push(fieldErrors.invalid(path.child('nodeName').path, nodeName, 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')'));
  return errs;
}

/** A pod template inside a workload (`spec.template`). */
export function validatePodTemplate(template: unknown, path: FieldPath, allowedRestart?: readonly string[]): FieldError[] {
  const t = asObj(template);
  const meta = asObj(t['metadata']);
  const spec = asObj(t['spec']);
  const errs: FieldError[] = [
    ...validateLabels(meta['labels'], path.child('metadata').child('labels')),
    ...validateAnnotations(meta['annotations'], path.child('metadata').child('annotations')),
    ...validatePodSpec(spec, path.child('spec')),
  ];
  const rp = spec['restartPolicy'];
  if (allowedRestart !== undefined && rp !== undefined && RESTART_POLICIES.includes(asStr(rp)) && !allowedRestart.includes(asStr(rp))) {
    errs.push(fieldErrors.notSupported(path.child('spec').child('restartPolicy').path, rp, allowedRestart));
  }
  return errs;
}

const POD_UPDATE_FORBIDDEN = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Pod spec is immutable except images, activeDeadlineSeconds, tolerations additions and grace period. */
export function validatePodSpecUpdate(spec: Record<string, unknown>, old: Record<string, unknown>, path: FieldPath): FieldError[] {
  const strip = (s: Record<string, unknown>): string => {
    const c = structuredClone(s);
    for (const key of ['containers', 'initContainers']) {
      for (const ctr of asArr(c[key])) delete asObj(ctr)['image'];
    }
    delete c['activeDeadlineSeconds'];
    delete c['tolerations'];
    delete c['terminationGracePeriodSeconds'];
    return JSON.stringify(sortKeys(c));
  };
  return strip(spec) === strip(old) ? [] : [fieldErrors.forbidden(path.path, POD_UPDATE_FORBIDDEN)];
}

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}
