/**
 * Printers for core/v1 kinds, column for column and cell for cell as
 * Kubernetes' pkg/printers/internalversion/printers.go (server side: wide
 * columns always included, kubectl hides priority > 0).
 */
import { timestampSince } from './human-duration.js';
import { accessModes, age, arr, col, containersAndImages, createdAt, createdAtCol, formatLabels, formatSelector, meta, nameCol, nameOf, num, obj, orNone, str, ageCol, type Obj } from './print-helpers.js';
import { printPod, podColumns } from './print-pod.js';
import type { KindPrinter } from './types.js';

const V1 = 'io.k8s.api.core.v1.';

const serviceExternalIP = (svc: Obj): string => {
  const spec = obj(svc['spec']);
  const external = arr(spec['externalIPs']).map(str);
  switch (spec['type'] ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = arr(obj(obj(svc['status'])['loadBalancer'])['ingress']).map((i) => str(obj(i)['ip']) || str(obj(i)['hostname'])).filter((x) => x !== '');
      const all = [...lb, ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec['externalName']);
    default:
      return '<unknown>';
  }
};

const servicePorts = (svc: Obj): string => {
  const ports = arr(obj(svc['spec'])['ports']).map(obj);
  if (ports.length === 0) return '<none>';
  return ports.map((p) => {
    const proto = str(p['protocol']) || 'TCP';
    return num(p['nodePort']) !== 0 ? `${num(p['port'])}:${num(p['nodePort'])}/${proto}` : `${num(p['port'])}/${proto}`;
  }).join(',');
};

function nodeStatus(node: Obj): string {
  const conds = arr(obj(node['status'])['conditions']).map(obj);
  const status: string[] = [];
  const ready = conds.find((c) => c['type'] === 'Ready');
  if (ready !== undefined) status.push(ready['status'] === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (obj(node['spec'])['unschedulable'] === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(node: Obj): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj(obj(node['metadata'])['labels']))) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role !== '') roles.add(role);
    } else if (k === 'kubernetes.io/role' && str(v) !== '') {
      roles.add(str(v));
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

const nodeAddress = (node: Obj, type: string): string =>
  orNone(str(obj(arr(obj(node['status'])['addresses']).find((a) => obj(a)['type'] === type))['address']));

function formatEndpoints(ep: Obj): string {
  const list: string[] = [];
  let count = 0;
  for (const s of arr(ep['subsets']).map(obj)) {
    const ports = arr(s['ports']).map(obj);
    for (const a of arr(s['addresses']).map(obj)) {
      const ips = ports.length === 0 ? [str(a['ip'])] : ports.map((p) => `${str(a['ip'])}:${num(p['port'])}`);
      for (const ip of ips) {
        count++;
        if (list.length < 3) list.push(ip);
      }
    }
  }
  if (count === 0) return '<none>';
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

const quantity = (v: unknown): string => (typeof v === 'number' ? String(v) : str(v));

function quotaCells(q: Obj): [string, string] {
  const hard = obj(obj(q['status'])['hard']);
  const used = obj(obj(q['status'])['used']);
  const req: string[] = [];
  const lim: string[] = [];
  for (const k of Object.keys(hard).sort()) {
    const cell = `${k}: ${quantity(used[k]) || '0'}/${quantity(hard[k])}`;
    if (k.startsWith('limits.')) lim.push(cell);
    else req.push(cell);
  }
  return [req.join(', '), lim.join(', ')];
}

function eventSource(e: Obj): string {
  const src = obj(e['source']);
  const component = str(src['component']) || str(e['reportingComponent']) || str(e['reportingController']);
  const host = str(src['host']) || str(e['reportingInstance']);
  if (component === '' && host === '') return '';
  return host === '' ? component : `${component}, ${host}`;
}

/** Core v1 Event cells (events.k8s.io/v1 objects are mapped onto these fields first). */
export function eventCells(e: Obj, now: Date): unknown[] {
  let first = timestampSince(e['firstTimestamp'], now);
  if (str(e['firstTimestamp']) === '') first = timestampSince(e['eventTime'], now);
  let last = str(e['lastTimestamp']) === '' ? first : timestampSince(e['lastTimestamp'], now);
  let count = num(e['count']);
  const series = e['series'];
  if (typeof series === 'object' && series !== null) {
    last = timestampSince(obj(series)['lastObservedTime'], now);
    count = num(obj(series)['count']);
  } else if (count === 0) {
    count = 1;
  }
  const inv = obj(e['involvedObject']);
  const kind = str(inv['kind']).toLowerCase();
  const target = str(inv['name']) === '' ? kind : `${kind}/${str(inv['name'])}`;
  return [last, str(e['type']), str(e['reason']), target, str(inv['fieldPath']), eventSource(e), str(e['message']).trim(), first, count, str(obj(e['metadata'])['name'])];
}

export const eventColumns = [
  col('Last Seen', 'string', [`${V1}Event`, 'lastTimestamp']),
  col('Type', 'string', [`${V1}Event`, 'type']),
  col('Reason', 'string', [`${V1}Event`, 'reason']),
  col('Object', 'string', [`${V1}Event`, 'involvedObject']),
  col('Subobject', 'string', [`${V1}ObjectReference`, 'fieldPath'], 1),
  col('Source', 'string', [`${V1}Event`, 'source'], 1),
  col('Message', 'string', [`${V1}Event`, 'message']),
  col('First Seen', 'string', [`${V1}Event`, 'firstTimestamp'], 1),
  col('Count', 'string', [`${V1}Event`, 'count'], 1),
  col('Name', 'string', ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'name'], 1, 'name'),
];

const pvcStatus = (o: Obj): string => (obj(o['metadata'])['deletionTimestamp'] !== undefined ? 'Terminating' : str(obj(o['status'])['phase']));

export const corePrinters: Record<string, KindPrinter> = {
  pods: { columns: podColumns, cells: printPod },
  services: {
    columns: [nameCol(), col('Type', 'string', [`${V1}ServiceSpec`, 'type']), col('Cluster-IP', 'string', [`${V1}ServiceSpec`, 'clusterIP']), col('External-IP', 'string', [`${V1}ServiceSpec`, 'externalIPs']), col('Port(s)', 'string', [`${V1}ServiceSpec`, 'ports']), ageCol(), col('Selector', 'string', [`${V1}ServiceSpec`, 'selector'], 1)],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      return [nameOf(o), str(spec['type']) || 'ClusterIP', orNone(str(spec['clusterIP'])), serviceExternalIP(o), servicePorts(o), age(o, now), formatLabels(spec['selector'])];
    },
  },
  nodes: {
    columns: [nameCol(), col('Status', 'string', 'The status of the node'), col('Roles', 'string', 'The roles of the node'), ageCol(), col('Version', 'string', [`${V1}NodeSystemInfo`, 'kubeletVersion']),
      col('Internal-IP', 'string', [`${V1}NodeStatus`, 'addresses'], 1), col('External-IP', 'string', [`${V1}NodeStatus`, 'addresses'], 1), col('OS-Image', 'string', [`${V1}NodeSystemInfo`, 'osImage'], 1),
      col('Kernel-Version', 'string', [`${V1}NodeSystemInfo`, 'kernelVersion'], 1), col('Container-Runtime', 'string', [`${V1}NodeSystemInfo`, 'containerRuntimeVersion'], 1)],
    cells: (o, now) => {
      const info = obj(obj(o['status'])['nodeInfo']);
      const unknown = (s: unknown): string => str(s) || '<unknown>';
      return [nameOf(o), nodeStatus(o), nodeRoles(o), age(o, now), str(info['kubeletVersion']), nodeAddress(o, 'InternalIP'), nodeAddress(o, 'ExternalIP'), unknown(info['osImage']), unknown(info['kernelVersion']), unknown(info['containerRuntimeVersion'])];
    },
  },
  namespaces: {
    columns: [nameCol(), col('Status', 'string', 'The status of the namespace'), ageCol()],
    cells: (o, now) => [nameOf(o), str(obj(o['status'])['phase']), age(o, now)],
  },
  configmaps: {
    columns: [nameCol(), col('Data', 'string', [`${V1}ConfigMap`, 'data']), ageCol()],
    cells: (o, now) => [nameOf(o), Object.keys(obj(o['data'])).length + Object.keys(obj(o['binaryData'])).length, age(o, now)],
  },
  secrets: {
    columns: [nameCol(), col('Type', 'string', [`${V1}Secret`, 'type']), col('Data', 'string', [`${V1}Secret`, 'data']), ageCol()],
    cells: (o, now) => [nameOf(o), str(o['type']), Object.keys(obj(o['data'])).length, age(o, now)],
  },
  serviceaccounts: {
    columns: [nameCol(), col('Secrets', 'string', [`${V1}ServiceAccount`, 'secrets']), ageCol()],
    cells: (o, now) => [nameOf(o), arr(o['secrets']).length, age(o, now)],
  },
  endpoints: {
    columns: [nameCol(), col('Endpoints', 'string', [`${V1}Endpoints`, 'subsets']), ageCol()],
    cells: (o, now) => [nameOf(o), formatEndpoints(o), age(o, now)],
  },
  events: { columns: eventColumns, cells: (o, now) => eventCells(o, now) },
  persistentvolumeclaims: {
    columns: [nameCol(), col('Status', 'string', [`${V1}PersistentVolumeClaimStatus`, 'phase']), col('Volume', 'string', [`${V1}PersistentVolumeClaimSpec`, 'volumeName']),
      col('Capacity', 'string', [`${V1}PersistentVolumeClaimStatus`, 'capacity']), col('Access Modes', 'string', [`${V1}PersistentVolumeClaimStatus`, 'accessModes']),
      col('StorageClass', 'string', 'StorageClass of the pvc'), col('VolumeAttributesClass', 'string', [`${V1}PersistentVolumeClaimSpec`, 'volumeAttributesClassName']), ageCol(),
      col('VolumeMode', 'string', [`${V1}PersistentVolumeClaimSpec`, 'volumeMode'], 1)],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const status = obj(o['status']);
      const bound = str(spec['volumeName']) !== '';
      const sc = str(spec['storageClassName']) || str(obj(meta(o)['annotations'])['volume.beta.kubernetes.io/storage-class']);
      return [nameOf(o), pvcStatus(o), str(spec['volumeName']), bound ? quantity(obj(status['capacity'])['storage']) : '', bound ? accessModes(status['accessModes']) : '', sc,
        str(spec['volumeAttributesClassName']) || '<unset>', age(o, now), str(spec['volumeMode']) || '<unset>'];
    },
  },
  persistentvolumes: {
    columns: [nameCol(), col('Capacity', 'string', [`${V1}PersistentVolumeSpec`, 'capacity']), col('Access Modes', 'string', [`${V1}PersistentVolumeSpec`, 'accessModes']),
      col('Reclaim Policy', 'string', [`${V1}PersistentVolumeSpec`, 'persistentVolumeReclaimPolicy']), col('Status', 'string', [`${V1}PersistentVolumeStatus`, 'phase']),
      col('Claim', 'string', [`${V1}PersistentVolumeSpec`, 'claimRef']), col('StorageClass', 'string', 'StorageClass of the pv'),
      col('VolumeAttributesClass', 'string', [`${V1}PersistentVolumeSpec`, 'volumeAttributesClassName']), col('Reason', 'string', [`${V1}PersistentVolumeStatus`, 'reason']), ageCol(),
      col('VolumeMode', 'string', [`${V1}PersistentVolumeSpec`, 'volumeMode'], 1)],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const claim = obj(spec['claimRef']);
      const claimStr = str(claim['name']) === '' ? '' : `${str(claim['namespace'])}/${str(claim['name'])}`;
      return [nameOf(o), quantity(obj(spec['capacity'])['storage']), accessModes(spec['accessModes']), str(spec['persistentVolumeReclaimPolicy']), pvcStatus(o), claimStr,
        str(spec['storageClassName']), str(spec['volumeAttributesClassName']) || '<unset>', str(obj(o['status'])['reason']), age(o, now), str(spec['volumeMode']) || '<unset>'];
    },
  },
  resourcequotas: {
    columns: [nameCol(), ageCol(), col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'), col('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.')],
    cells: (o, now) => [nameOf(o), age(o, now), ...quotaCells(o)],
  },
  limitranges: { columns: [nameCol(), createdAtCol()], cells: (o) => [nameOf(o), createdAt(o)] },
  replicationcontrollers: {
    columns: [nameCol(), col('Desired', 'integer', [`${V1}ReplicationControllerSpec`, 'replicas']), col('Current', 'integer', [`${V1}ReplicationControllerStatus`, 'replicas']),
      col('Ready', 'integer', [`${V1}ReplicationControllerStatus`, 'readyReplicas']), ageCol(), col('Containers', 'string', 'Names of each container in the template.', 1),
      col('Images', 'string', 'Images referenced by each container in the template.', 1), col('Selector', 'string', [`${V1}ReplicationControllerSpec`, 'selector'], 1)],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const status = obj(o['status']);
      const [c, i] = containersAndImages(obj(obj(spec['template'])['spec']));
      return [nameOf(o), num(spec['replicas']), num(status['replicas']), num(status['readyReplicas']), age(o, now), c, i, formatLabels(spec['selector'])];
    },
  },
  podtemplates: {
    columns: [nameCol(), col('Containers', 'string', 'Names of each container in the template.'), col('Images', 'string', 'Images referenced by each container in the template.'), col('Pod Labels', 'string', 'The labels for the pod template.')],
    cells: (o) => {
      const t = obj(o['template']);
      const [c, i] = containersAndImages(t['spec']);
      return [nameOf(o), c, i, formatLabels(obj(t['metadata'])['labels'])];
    },
  },
  componentstatuses: {
    columns: [nameCol(), col('Status', 'string', 'Status of the component conditions'), col('Message', 'string', 'Message of the component conditions'), col('Error', 'string', 'Error of the component conditions')],
    cells: (o) => {
      const c = obj(arr(o['conditions']).find((x) => obj(x)['type'] === 'Healthy'));
      const status = c['status'] === 'True' ? 'Healthy' : c['status'] === undefined ? 'Unknown' : 'Unhealthy';
      return [nameOf(o), status, str(c['message']), str(c['error'])];
    },
  },
};

export { formatSelector };
