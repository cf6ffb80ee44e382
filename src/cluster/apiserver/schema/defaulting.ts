/**
 * Defaulting per kind (the SetDefaults_* functions of pkg/apis/<group>/v1
 * and the registry strategies' fixed values users see), and schema
 * `default`s applied generically for CRDs.
 */
import { child, defaultPod, defaultPodTemplate, setIfAbsent } from './defaults-pod.js';
import { asArr, asObj, type Obj } from './validate-meta.js';
import type { KubeObject, ResourceInfo, SchemaType } from './types.js';

type Defaulter = (o: Obj) => void;

const rollingUpdate = (spec: Obj, surge: unknown, unavailable: unknown): void => {
  const strategy = child(spec, 'strategy');
  setIfAbsent(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setIfAbsent(ru, 'maxUnavailable', unavailable);
    setIfAbsent(ru, 'maxSurge', surge);
  }
};

const template = (spec: Obj): void => defaultPodTemplate(child(spec, 'template'));

function defaultJobSpec(spec: Obj): void {
  if (spec['completions'] === undefined && spec['parallelism'] === undefined) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  setIfAbsent(spec, 'parallelism', 1);
  setIfAbsent(spec, 'backoffLimit', spec['backoffLimitPerIndex'] === undefined ? 6 : 2147483647);
  setIfAbsent(spec, 'completionMode', 'NonIndexed');
  setIfAbsent(spec, 'suspend', false);
  setIfAbsent(spec, 'podReplacementPolicy', asObj(spec['podFailurePolicy'])['rules'] === undefined ? 'TerminatingOrFailed' : 'Failed');
  template(spec);
}

const serviceDefaults: Defaulter = (svc) => {
  const spec = child(svc, 'spec');
  setIfAbsent(spec, 'type', 'ClusterIP');
  setIfAbsent(spec, 'sessionAffinity', 'None');
  if (spec['sessionAffinity'] === 'ClientIP') setIfAbsent(child(child(spec, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds', 10800);
  const type = spec['type'];
  for (const p of asArr(spec['ports'])) {
    const port = asObj(p);
    setIfAbsent(port, 'protocol', 'TCP');
    if (port['targetPort'] === undefined || port['targetPort'] === 0 || port['targetPort'] === '') port['targetPort'] = port['port'];
  }
  if (type === 'NodePort' || type === 'LoadBalancer') setIfAbsent(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') setIfAbsent(spec, 'allocateLoadBalancerNodePorts', true);
  if (type !== 'ExternalName') {
    setIfAbsent(spec, 'internalTrafficPolicy', 'Cluster');
    setIfAbsent(spec, 'ipFamilyPolicy', 'SingleStack');
    setIfAbsent(spec, 'ipFamilies', ['IPv4']);
  }
  setIfAbsent(svc, 'status', { loadBalancer: {} });
};

const hpaV2: Defaulter = (hpa) => {
  const spec = child(hpa, 'spec');
  setIfAbsent(spec, 'minReplicas', 1);
  if (asArr(spec['metrics']).length === 0) {
    spec['metrics'] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  const behavior = child(spec, 'behavior');
  const up = child(behavior, 'scaleUp');
  setIfAbsent(up, 'stabilizationWindowSeconds', 0);
  setIfAbsent(up, 'selectPolicy', 'Max');
  setIfAbsent(up, 'policies', [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }]);
  const down = child(behavior, 'scaleDown');
  setIfAbsent(down, 'selectPolicy', 'Max');
  setIfAbsent(down, 'policies', [{ type: 'Percent', value: 100, periodSeconds: 15 }]);
};

/** group/resource (with version where versions differ) → defaulter. */
const defaulters: Record<string, Defaulter> = {
  '/pods': defaultPod,
  '/podtemplates': (o) => defaultPodTemplate(child(o, 'template')),
  '/replicationcontrollers': (o) => {
    const spec = child(o, 'spec');
    setIfAbsent(spec, 'replicas', 1);
    const labels = asObj(asObj(asObj(spec['template'])['metadata'])['labels']);
    if (Object.keys(labels).length > 0) {
      setIfAbsent(spec, 'selector', { ...labels });
      const meta = child(o, 'metadata');
      setIfAbsent(meta, 'labels', { ...labels });
    }
    template(spec);
  },
  '/services': serviceDefaults,
  '/secrets': (o) => setIfAbsent(o, 'type', 'Opaque'),
  '/namespaces': (o) => {
    setIfAbsent(child(o, 'spec'), 'finalizers', ['kubernetes']);
    setIfAbsent(child(o, 'status'), 'phase', 'Active');
  },
  '/persistentvolumeclaims': (o) => {
    setIfAbsent(child(o, 'spec'), 'volumeMode', 'Filesystem');
    setIfAbsent(child(o, 'status'), 'phase', 'Pending');
  },
  '/persistentvolumes': (o) => {
    const spec = child(o, 'spec');
    setIfAbsent(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    setIfAbsent(spec, 'volumeMode', 'Filesystem');
    setIfAbsent(child(o, 'status'), 'phase', 'Pending');
  },
  '/endpoints': (o) => {
    for (const s of asArr(o['subsets'])) for (const p of asArr(asObj(s)['ports'])) setIfAbsent(asObj(p), 'protocol', 'TCP');
  },
  'apps/deployments': (o) => {
    const spec = child(o, 'spec');
    setIfAbsent(spec, 'replicas', 1);
    rollingUpdate(spec, '25%', '25%');
    setIfAbsent(spec, 'revisionHistoryLimit', 10);
    setIfAbsent(spec, 'progressDeadlineSeconds', 600);
    template(spec);
  },
  'apps/replicasets': (o) => {
    const spec = child(o, 'spec');
    setIfAbsent(spec, 'replicas', 1);
    template(spec);
  },
  'apps/statefulsets': (o) => {
    const spec = child(o, 'spec');
    setIfAbsent(spec, 'replicas', 1);
    setIfAbsent(spec, 'podManagementPolicy', 'OrderedReady');
    const us = child(spec, 'updateStrategy');
    setIfAbsent(us, 'type', 'RollingUpdate');
    if (us['type'] === 'RollingUpdate') setIfAbsent(child(us, 'rollingUpdate'), 'partition', 0);
    setIfAbsent(spec, 'revisionHistoryLimit', 10);
    const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
    setIfAbsent(retention, 'whenDeleted', 'Retain');
    setIfAbsent(retention, 'whenScaled', 'Retain');
    for (const t of asArr(spec['volumeClaimTemplates'])) {
      const claim = asObj(t);
      setIfAbsent(child(claim, 'spec'), 'volumeMode', 'Filesystem');
      setIfAbsent(child(claim, 'status'), 'phase', 'Pending');
    }
    template(spec);
  },
  'apps/daemonsets': (o) => {
    const spec = child(o, 'spec');
    const us = child(spec, 'updateStrategy');
    setIfAbsent(us, 'type', 'RollingUpdate');
    if (us['type'] === 'RollingUpdate') {
      const ru = child(us, 'rollingUpdate');
      setIfAbsent(ru, 'maxUnavailable', 1);
      setIfAbsent(ru, 'maxSurge', 0);
    }
    setIfAbsent(spec, 'revisionHistoryLimit', 10);
    template(spec);
  },
  'batch/jobs': (o) => defaultJobSpec(child(o, 'spec')),
  'batch/cronjobs': (o) => {
    const spec = child(o, 'spec');
    setIfAbsent(spec, 'concurrencyPolicy', 'Allow');
    setIfAbsent(spec, 'suspend', false);
    setIfAbsent(spec, 'successfulJobsHistoryLimit', 3);
    setIfAbsent(spec, 'failedJobsHistoryLimit', 1);
    const jobTemplate = child(spec, 'jobTemplate');
    const jtMeta = child(jobTemplate, 'metadata');
    if (!('creationTimestamp' in jtMeta)) jtMeta['creationTimestamp'] = null;
    template(child(jobTemplate, 'spec'));
  },
  'autoscaling/horizontalpodautoscalers@v2': hpaV2,
  'autoscaling/horizontalpodautoscalers@v1': (o) => setIfAbsent(child(o, 'spec'), 'minReplicas', 1),
  'networking.k8s.io/networkpolicies': (o) => {
    const spec = child(o, 'spec');
    if (spec['policyTypes'] === undefined) spec['policyTypes'] = spec['egress'] === undefined ? ['Ingress'] : ['Ingress', 'Egress'];
    for (const dir of ['ingress', 'egress']) {
      for (const rule of asArr(spec[dir])) for (const p of asArr(asObj(rule)['ports'])) setIfAbsent(asObj(p), 'protocol', 'TCP');
    }
  },
  'discovery.k8s.io/endpointslices': (o) => {
    for (const p of asArr(o['ports'])) setIfAbsent(asObj(p), 'protocol', 'TCP');
  },
  'rbac.authorization.k8s.io/rolebindings': rbacSubjects,
  'rbac.authorization.k8s.io/clusterrolebindings': rbacSubjects,
  'scheduling.k8s.io/priorityclasses': (o) => setIfAbsent(o, 'preemptionPolicy', 'PreemptLowerPriority'),
  'storage.k8s.io/storageclasses': (o) => {
    setIfAbsent(o, 'reclaimPolicy', 'Delete');
    setIfAbsent(o, 'volumeBindingMode', 'Immediate');
  },
  'storage.k8s.io/csidrivers': (o) => {
    const spec = child(o, 'spec');
    setIfAbsent(spec, 'attachRequired', true);
    setIfAbsent(spec, 'podInfoOnMount', false);
    setIfAbsent(spec, 'storageCapacity', false);
    setIfAbsent(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
    setIfAbsent(spec, 'requiresRepublish', false);
    setIfAbsent(spec, 'seLinuxMount', false);
    setIfAbsent(spec, 'volumeLifecycleModes', ['Persistent']);
  },
  'apiextensions.k8s.io/customresourcedefinitions': (o) => {
    const spec = child(o, 'spec');
    const names = child(spec, 'names');
    if (typeof names['kind'] === 'string') {
      setIfAbsent(names, 'singular', names['kind'].toLowerCase());
      setIfAbsent(names, 'listKind', `${names['kind']}List`);
    }
    setIfAbsent(child(spec, 'conversion'), 'strategy', 'None');
  },
};

function rbacSubjects(o: Obj): void {
  for (const s of asArr(o['subjects'])) {
    const subj = asObj(s);
    if (subj['kind'] === 'User' || subj['kind'] === 'Group') setIfAbsent(subj, 'apiGroup', 'rbac.authorization.k8s.io');
    // The ServiceAccount default is "", which Go's omitempty does not serialize: a stored "" would make
    // every client-side apply of the same manifest patch subjects again.
    if (subj['kind'] === 'ServiceAccount' && subj['apiGroup'] === '') delete subj['apiGroup'];
  }
}

/** Applies `default` values from a structural schema (CRDs), as the apiextensions server does. */
export function applySchemaDefaults(value: unknown, type: SchemaType | undefined, depth = 0): void {
  if (type === undefined || depth > 64 || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    const items = type.items();
    for (const v of value) applySchemaDefaults(v, items, depth + 1);
    return;
  }
  const obj = value as Obj;
  for (const name of type.properties) {
    const prop = type.field(name);
    if (prop === undefined) continue;
    if (obj[name] === undefined && prop.defaultValue !== undefined) obj[name] = structuredClone(prop.defaultValue);
    applySchemaDefaults(obj[name], prop, depth + 1);
  }
  if (type.properties.length === 0) {
    const values = type.values();
    if (values !== undefined) for (const v of Object.values(obj)) applySchemaDefaults(v, values, depth + 1);
  }
}

export function applyKindDefaults(resource: ResourceInfo, obj: KubeObject): void {
  const key = `${resource.group}/${resource.resource}`;
  const fn = defaulters[`${key}@${resource.version}`] ?? defaulters[key];
  if (fn !== undefined) fn(obj as Obj);
}
