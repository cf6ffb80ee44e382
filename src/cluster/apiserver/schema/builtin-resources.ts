/**
 * The built-in resources Berth serves, as kube-apiserver 1.32 lists them in
 * discovery (names, short names, categories, verbs, subresources). Group
 * order is the apiserver's group priority order; resources within a
 * group-version are sorted by name as discovery sorts them.
 */
import type { ResourceInfo, ScaleInfo, SubresourceInfo } from './types.js';

const FULL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const NO_COLLECTION = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] as const;
const CREATE = ['create'] as const;
const GPU = ['get', 'patch', 'update'] as const;
const PROXY = ['create', 'delete', 'get', 'patch', 'update'] as const;

interface Def {
  ns: boolean;
  short?: string[];
  all?: boolean;
  categories?: string[];
  verbs?: readonly string[];
  sub?: SubresourceInfo[];
  singular?: string;
}

const status = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: GPU });
const scale: SubresourceInfo = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: GPU };
// Built-in scale endpoints read the selector from spec.selector (upstream's per-kind scale REST), not from status.
const replicasScale: ScaleInfo = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector', labelSelectorType: 'LabelSelector' };
const controllerScale: ScaleInfo = { ...replicasScale, labelSelectorType: 'map' };

type GroupTable = Record<string, Record<string, Record<string, [kind: string, def: Def]>>>;

/** group → version → resource → [kind, def]. Versions are listed preferred first. */
const table: GroupTable = {
  '': {
    v1: {
      bindings: ['Binding', { ns: true, verbs: CREATE }],
      componentstatuses: ['ComponentStatus', { ns: false, short: ['cs'], verbs: ['get', 'list'] }],
      configmaps: ['ConfigMap', { ns: true, short: ['cm'] }],
      endpoints: ['Endpoints', { ns: true, short: ['ep'] }],
      events: ['Event', { ns: true, short: ['ev'] }],
      limitranges: ['LimitRange', { ns: true, short: ['limits'] }],
      namespaces: ['Namespace', {
        ns: false, short: ['ns'], verbs: NO_COLLECTION,
        sub: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, status('Namespace')],
      }],
      nodes: ['Node', { ns: false, short: ['no'], sub: [{ name: 'proxy', kind: 'NodeProxyOptions', verbs: PROXY }, status('Node')] }],
      persistentvolumeclaims: ['PersistentVolumeClaim', { ns: true, short: ['pvc'], sub: [status('PersistentVolumeClaim')] }],
      persistentvolumes: ['PersistentVolume', { ns: false, short: ['pv'], sub: [status('PersistentVolume')] }],
      pods: ['Pod', {
        ns: true, short: ['po'], all: true,
        sub: [
          { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
          { name: 'binding', kind: 'Binding', verbs: CREATE },
          { name: 'ephemeralcontainers', kind: 'Pod', verbs: GPU },
          { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: CREATE },
          { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
          { name: 'log', kind: 'Pod', verbs: ['get'] },
          { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
          { name: 'proxy', kind: 'PodProxyOptions', verbs: PROXY },
          status('Pod'),
        ],
      }],
      podtemplates: ['PodTemplate', { ns: true }],
      replicationcontrollers: ['ReplicationController', { ns: true, short: ['rc'], all: true, sub: [scale, status('ReplicationController')] }],
      resourcequotas: ['ResourceQuota', { ns: true, short: ['quota'], sub: [status('ResourceQuota')] }],
      secrets: ['Secret', { ns: true }],
      serviceaccounts: ['ServiceAccount', {
        ns: true, short: ['sa'],
        sub: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: CREATE }],
      }],
      services: ['Service', { ns: true, short: ['svc'], all: true, sub: [{ name: 'proxy', kind: 'ServiceProxyOptions', verbs: PROXY }, status('Service')] }],
    },
  },
  apps: {
    v1: {
      controllerrevisions: ['ControllerRevision', { ns: true }],
      daemonsets: ['DaemonSet', { ns: true, short: ['ds'], all: true, sub: [status('DaemonSet')] }],
      deployments: ['Deployment', { ns: true, short: ['deploy'], all: true, sub: [scale, status('Deployment')] }],
      replicasets: ['ReplicaSet', { ns: true, short: ['rs'], all: true, sub: [scale, status('ReplicaSet')] }],
      statefulsets: ['StatefulSet', { ns: true, short: ['sts'], all: true, sub: [scale, status('StatefulSet')] }],
    },
  },
  'events.k8s.io': { v1: { events: ['Event', { ns: true, short: ['ev'] }] } },
  'authentication.k8s.io': {
    v1: {
      selfsubjectreviews: ['SelfSubjectReview', { ns: false, verbs: CREATE }],
      tokenreviews: ['TokenReview', { ns: false, verbs: CREATE }],
    },
  },
  'authorization.k8s.io': {
    v1: {
      localsubjectaccessreviews: ['LocalSubjectAccessReview', { ns: true, verbs: CREATE }],
      selfsubjectaccessreviews: ['SelfSubjectAccessReview', { ns: false, verbs: CREATE }],
      selfsubjectrulesreviews: ['SelfSubjectRulesReview', { ns: false, verbs: CREATE }],
      subjectaccessreviews: ['SubjectAccessReview', { ns: false, verbs: CREATE }],
    },
  },
  autoscaling: {
    v2: { horizontalpodautoscalers: ['HorizontalPodAutoscaler', { ns: true, short: ['hpa'], all: true, sub: [status('HorizontalPodAutoscaler')] }] },
    v1: { horizontalpodautoscalers: ['HorizontalPodAutoscaler', { ns: true, short: ['hpa'], all: true, sub: [status('HorizontalPodAutoscaler')] }] },
  },
  batch: {
    v1: {
      cronjobs: ['CronJob', { ns: true, short: ['cj'], all: true, sub: [status('CronJob')] }],
      jobs: ['Job', { ns: true, all: true, sub: [status('Job')] }],
    },
  },
  'certificates.k8s.io': {
    v1: {
      certificatesigningrequests: ['CertificateSigningRequest', {
        ns: false, short: ['csr'],
        sub: [{ name: 'approval', kind: 'CertificateSigningRequest', verbs: GPU }, status('CertificateSigningRequest')],
      }],
    },
  },
  'networking.k8s.io': {
    v1: {
      ingressclasses: ['IngressClass', { ns: false }],
      ingresses: ['Ingress', { ns: true, short: ['ing'], sub: [status('Ingress')] }],
      networkpolicies: ['NetworkPolicy', { ns: true, short: ['netpol'] }],
    },
  },
  policy: { v1: { poddisruptionbudgets: ['PodDisruptionBudget', { ns: true, short: ['pdb'], sub: [status('PodDisruptionBudget')] }] } },
  'rbac.authorization.k8s.io': {
    v1: {
      clusterrolebindings: ['ClusterRoleBinding', { ns: false }],
      clusterroles: ['ClusterRole', { ns: false }],
      rolebindings: ['RoleBinding', { ns: true }],
      roles: ['Role', { ns: true }],
    },
  },
  'storage.k8s.io': {
    v1: {
      csidrivers: ['CSIDriver', { ns: false }],
      csinodes: ['CSINode', { ns: false }],
      csistoragecapacities: ['CSIStorageCapacity', { ns: true }],
      storageclasses: ['StorageClass', { ns: false, short: ['sc'] }],
      volumeattachments: ['VolumeAttachment', { ns: false, sub: [status('VolumeAttachment')] }],
    },
  },
  'admissionregistration.k8s.io': {
    v1: {
      mutatingwebhookconfigurations: ['MutatingWebhookConfiguration', { ns: false, categories: ['api-extensions'] }],
      validatingwebhookconfigurations: ['ValidatingWebhookConfiguration', { ns: false, categories: ['api-extensions'] }],
    },
  },
  'apiextensions.k8s.io': {
    v1: {
      customresourcedefinitions: ['CustomResourceDefinition', {
        ns: false, short: ['crd', 'crds'], categories: ['api-extensions'], sub: [status('CustomResourceDefinition')],
      }],
    },
  },
  'scheduling.k8s.io': { v1: { priorityclasses: ['PriorityClass', { ns: false, short: ['pc'] }] } },
  'coordination.k8s.io': { v1: { leases: ['Lease', { ns: true }] } },
  'node.k8s.io': { v1: { runtimeclasses: ['RuntimeClass', { ns: false }] } },
  'discovery.k8s.io': { v1: { endpointslices: ['EndpointSlice', { ns: true }] } },
};

/** Storage version per group when several are served. */
const storageVersions: Record<string, string> = { autoscaling: 'v2' };

export function builtinResources(): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const [group, versions] of Object.entries(table)) {
    for (const [version, resources] of Object.entries(versions)) {
      for (const [resource, [kind, def]] of Object.entries(resources)) {
        const info: ResourceInfo = {
          group,
          version,
          resource,
          singular: def.singular ?? kind.toLowerCase(),
          kind,
          listKind: `${kind}List`,
          namespaced: def.ns,
          shortNames: def.short ?? [],
          categories: def.categories ?? (def.all === true ? ['all'] : []),
          verbs: def.verbs ?? FULL,
          subresources: def.sub ?? [],
          storageVersion: storageVersions[group] ?? version,
        };
        if (info.subresources.some((s) => s.name === 'scale')) info.scale = group === '' ? controllerScale : replicasScale;
        out.push(info);
      }
    }
  }
  return out;
}
