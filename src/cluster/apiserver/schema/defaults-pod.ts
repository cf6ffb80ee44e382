/**
 * Pod and pod-template defaults as pkg/apis/core/v1/defaults.go applies them
 * (plus, for bare Pods, what the ServiceAccount, Priority and
 * DefaultTolerationSeconds admission plugins add), so `kubectl get -o yaml`
 * shows what it shows against Kubernetes.
 */
import { asArr, asObj, type Obj } from './validate-meta.js';

export function setIfAbsent(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/** Gets (creating when absent) a child object. */
export function child(o: Obj, key: string): Obj {
  const v = o[key];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Obj;
  const created: Obj = {};
  o[key] = created;
  return created;
}

/** Always unless the image has a non-latest tag or a digest. */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon < 0 ? '' : image.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function probe(p: unknown): void {
  if (typeof p !== 'object' || p === null) return;
  const o = p as Obj;
  setIfAbsent(o, 'timeoutSeconds', 1);
  setIfAbsent(o, 'periodSeconds', 10);
  setIfAbsent(o, 'successThreshold', 1);
  setIfAbsent(o, 'failureThreshold', 3);
  const http = o['httpGet'];
  if (typeof http === 'object' && http !== null) {
    setIfAbsent(http as Obj, 'path', '/');
    setIfAbsent(http as Obj, 'scheme', 'HTTP');
  }
}

function container(c: Obj, isPod: boolean): void {
  setIfAbsent(c, 'terminationMessagePath', '/dev/termination-log');
  setIfAbsent(c, 'terminationMessagePolicy', 'File');
  if (typeof c['image'] === 'string') setIfAbsent(c, 'imagePullPolicy', defaultPullPolicy(c['image']));
  setIfAbsent(c, 'resources', {});
  const res = asObj(c['resources']);
  // Pods: requests default to limits when only limits are given.
  if (isPod && res['limits'] !== undefined) {
    const req = child(res, 'requests');
    for (const [k, v] of Object.entries(asObj(res['limits']))) setIfAbsent(req, k, v);
  }
  for (const p of asArr(c['ports'])) setIfAbsent(asObj(p), 'protocol', 'TCP');
  for (const e of asArr(c['env'])) {
    const fieldRef = asObj(asObj(e)['valueFrom'])['fieldRef'];
    if (typeof fieldRef === 'object' && fieldRef !== null) setIfAbsent(fieldRef as Obj, 'apiVersion', 'v1');
  }
  probe(c['livenessProbe']);
  probe(c['readinessProbe']);
  probe(c['startupProbe']);
}

function volume(v: Obj): void {
  for (const source of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const s = v[source];
    if (typeof s === 'object' && s !== null) setIfAbsent(s as Obj, 'defaultMode', 420);
  }
  const hostPath = v['hostPath'];
  if (typeof hostPath === 'object' && hostPath !== null) setIfAbsent(hostPath as Obj, 'type', '');
}

/** SetDefaults_PodSpec and the container/volume defaults below it. */
export function defaultPodSpec(spec: Obj, isPod: boolean): void {
  setIfAbsent(spec, 'dnsPolicy', 'ClusterFirst');
  setIfAbsent(spec, 'restartPolicy', 'Always');
  setIfAbsent(spec, 'securityContext', {});
  setIfAbsent(spec, 'terminationGracePeriodSeconds', 30);
  setIfAbsent(spec, 'schedulerName', 'default-scheduler');
  for (const c of asArr(spec['containers'])) container(asObj(c), isPod);
  for (const c of asArr(spec['initContainers'])) container(asObj(c), isPod);
  for (const c of asArr(spec['ephemeralContainers'])) container(asObj(c), isPod);
  for (const v of asArr(spec['volumes'])) volume(asObj(v));
  if (spec['hostNetwork'] === true) {
    for (const c of asArr(spec['containers'])) {
      for (const p of asArr(asObj(c)['ports'])) {
        const port = asObj(p);
        setIfAbsent(port, 'hostPort', port['containerPort']);
      }
    }
  }
}

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

/** A bare Pod: SetDefaults_Pod plus the admission plugins every cluster runs. */
export function defaultPod(pod: Obj): void {
  const spec = child(pod, 'spec');
  defaultPodSpec(spec, true);
  setIfAbsent(spec, 'enableServiceLinks', true);
  // ServiceAccount admission.
  setIfAbsent(spec, 'serviceAccountName', spec['serviceAccount'] ?? 'default');
  setIfAbsent(spec, 'serviceAccount', spec['serviceAccountName']);
  // Priority admission (no PriorityClass given).
  if (spec['priorityClassName'] === undefined) setIfAbsent(spec, 'priority', 0);
  setIfAbsent(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  // DefaultTolerationSeconds admission.
  const tolerations = asArr(spec['tolerations']);
  const has = (key: string): boolean => tolerations.some((t) => {
    const o = asObj(t);
    return (o['key'] === key || (o['key'] === undefined && o['operator'] === 'Exists')) && (o['effect'] === undefined || o['effect'] === 'NoExecute');
  });
  const added = [NOT_READY, UNREACHABLE].filter((k) => !has(k)).map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }));
  if (added.length > 0) spec['tolerations'] = [...tolerations, ...added];
  const status = child(pod, 'status');
  setIfAbsent(status, 'phase', 'Pending');
  setIfAbsent(status, 'qosClass', podQOSClass(spec));
}

/** A pod template inside a workload. */
export function defaultPodTemplate(template: Obj): void {
  const meta = child(template, 'metadata');
  // A zero metav1.Time serializes as null in every template Kubernetes returns.
  if (!('creationTimestamp' in meta)) meta['creationTimestamp'] = null;
  defaultPodSpec(child(template, 'spec'), false);
}

/** qos.GetPodQOS: Guaranteed, Burstable or BestEffort from container requests/limits. */
export function podQOSClass(spec: Obj): string {
  const containers = [...asArr(spec['containers']), ...asArr(spec['initContainers'])].map(asObj);
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const res = asObj(c['resources']);
    const req = asObj(res['requests']);
    const lim = asObj(res['limits']);
    const names = ['cpu', 'memory'];
    if (names.some((n) => req[n] !== undefined || lim[n] !== undefined)) any = true;
    for (const n of names) {
      if (lim[n] === undefined || (req[n] !== undefined && String(req[n]) !== String(lim[n]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
