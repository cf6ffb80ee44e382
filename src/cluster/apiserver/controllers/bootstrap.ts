/**
 * Objects every cluster starts with: the default namespaces and the
 * `kubernetes` Service and Endpoints pointing at this API server.
 */
import { isBerthError } from '../../../core/index.js';
import type { ServerServices } from '../rest/handler-context.js';
import { KUBERNETES_SERVICE_IP } from '../rest/service-ips.js';
import { targetOf } from '../rest/versioning.js';
import type { KubeObject, ResourceType } from '../types.js';

const internal = { dryRun: false, fieldManager: 'berth-apiserver', fieldValidation: 'Ignore' as const, subresource: '' };

export const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface BootstrapOptions {
  /** Address clients inside the cluster reach the API server at. */
  advertiseAddress: string;
  securePort: number;
}

export async function bootstrapCluster(s: ServerServices, o: BootstrapOptions): Promise<void> {
  const type = (group: string, resource: string): ResourceType | undefined =>
    s.collab.schema.resources().find((t) => t.group === group && t.resource === resource);
  const ensure = async (t: ResourceType | undefined, namespace: string, obj: KubeObject, update: boolean) => {
    if (t === undefined) return;
    const existing = await s.objects.tryGet(targetOf(t), namespace, obj.metadata.name ?? '');
    try {
      if (existing === undefined) await s.writer.create(t, namespace, obj, internal);
      else if (update) await s.writer.mutate(t, namespace, obj.metadata.name ?? '', internal, (cur) => ({ ...cur, ...obj, metadata: { ...cur.metadata, labels: obj.metadata.labels ?? {} } }));
    } catch (err) {
      if (!isBerthError(err, 'AlreadyExists') && !isBerthError(err, 'Conflict')) throw err;
    }
  };
  for (const name of DEFAULT_NAMESPACES) await ensure(type('', 'namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, false);
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  await ensure(type('', 'services'), 'default', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', labels },
    spec: {
      type: 'ClusterIP', clusterIP: KUBERNETES_SERVICE_IP, clusterIPs: [KUBERNETES_SERVICE_IP], sessionAffinity: 'None',
      ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.securePort }],
    },
  }, false);
  await ensure(type('', 'endpoints'), 'default', {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: o.advertiseAddress }], ports: [{ name: 'https', port: o.securePort, protocol: 'TCP' }] }],
  }, true);
}
