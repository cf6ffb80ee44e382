/**
 * Printers for networking, RBAC, storage, coordination, scheduling,
 * certificates, admission and discovery kinds, as in printers.go.
 */
import { age, arr, col, createdAt, createdAtCol, formatSelector, meta, nameCol, ageCol, nameOf, num, obj, str, type Obj } from './print-helpers.js';
import { eventCells, eventColumns } from './printers-core.js';
import type { KindPrinter } from './types.js';

const NET = 'io.k8s.api.networking.v1.';
const STORAGE = 'io.k8s.api.storage.v1.';

function ingressHosts(ing: Obj): string {
  const hosts = arr(obj(ing['spec'])['rules']).map((r) => str(obj(r)['host'])).filter((h) => h !== '');
  if (hosts.length === 0) return '*';
  return hosts.length > 4 ? `${hosts.slice(0, 4).join(',')} + ${hosts.length - 4} more...` : hosts.join(',');
}

function lbIngress(status: unknown): string {
  return arr(obj(obj(status)['loadBalancer'])['ingress']).map((i) => str(obj(i)['ip']) || str(obj(i)['hostname'])).filter((x) => x !== '').join(',');
}

function subjects(b: Obj, kind: string): string {
  return arr(b['subjects']).map(obj).filter((s) => s['kind'] === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${str(s['namespace'])}/${str(s['name'])}` : str(s['name']))).join(', ');
}

const bindingColumns = [nameCol(), col('Role', 'string', 'RoleRef is the reference to the role.'), ageCol(),
  col('Users', 'string', 'Users in the roleBinding', 1), col('Groups', 'string', 'Groups in the roleBinding', 1), col('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding', 1)];

const binding: KindPrinter = {
  columns: bindingColumns,
  cells: (o, now) => {
    const ref = obj(o['roleRef']);
    return [nameOf(o), `${str(ref['kind'])}/${str(ref['name'])}`, age(o, now), subjects(o, 'User'), subjects(o, 'Group'), subjects(o, 'ServiceAccount')];
  },
};

const nameCreated: KindPrinter = { columns: [nameCol(), createdAtCol()], cells: (o) => [nameOf(o), createdAt(o)] };

const webhooks: KindPrinter = {
  columns: [nameCol(), col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks included in the configuration.'), ageCol()],
  cells: (o, now) => [nameOf(o), arr(o['webhooks']).length, age(o, now)],
};

/** events.k8s.io/v1 fields mapped onto the core Event printer. */
function eventsV1Cells(e: Obj, now: Date): unknown[] {
  const series = e['series'] === undefined ? undefined : { count: obj(e['series'])['count'], lastObservedTime: obj(e['series'])['lastObservedTime'] };
  const core: Obj = {
    metadata: e['metadata'],
    firstTimestamp: e['deprecatedFirstTimestamp'],
    lastTimestamp: e['deprecatedLastTimestamp'],
    eventTime: e['eventTime'],
    count: e['deprecatedCount'],
    series,
    type: e['type'],
    reason: e['reason'],
    involvedObject: e['regarding'],
    source: e['deprecatedSource'],
    reportingController: e['reportingController'],
    reportingInstance: e['reportingInstance'],
    message: e['note'],
  };
  if (series === undefined) delete core['series'];
  return eventCells(core, now);
}

export const miscPrinters: Record<string, KindPrinter> = {
  'networking.k8s.io/ingresses': {
    columns: [nameCol(), col('Class', 'string', [`${NET}IngressSpec`, 'ingressClassName']), col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
      col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'), col('Ports', 'string', 'Ports of TLS configurations that open'), ageCol()],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      return [nameOf(o), str(spec['ingressClassName']) || '<none>', ingressHosts(o), lbIngress(o['status']), arr(spec['tls']).length > 0 ? '80, 443' : '80', age(o, now)];
    },
  },
  'networking.k8s.io/ingressclasses': {
    columns: [nameCol(), col('Controller', 'string', 'Controller that is responsible for handling this class'), col('Parameters', 'string', 'A reference to a resource with additional parameters'), ageCol()],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const p = obj(spec['parameters']);
      let params = '<none>';
      if (str(p['kind']) !== '') params = `${str(p['kind'])}${str(p['apiGroup']) === '' ? '' : `.${str(p['apiGroup'])}`}/${str(p['name'])}`;
      return [nameOf(o), str(spec['controller']), params, age(o, now)];
    },
  },
  'networking.k8s.io/networkpolicies': {
    columns: [nameCol(), col('Pod-Selector', 'string', [`${NET}NetworkPolicySpec`, 'podSelector']), ageCol()],
    cells: (o, now) => {
      const sel = formatSelector(obj(o['spec'])['podSelector']);
      return [nameOf(o), sel === '<none>' ? '<none>' : sel, age(o, now)];
    },
  },
  'rbac.authorization.k8s.io/roles': nameCreated,
  'rbac.authorization.k8s.io/clusterroles': nameCreated,
  'rbac.authorization.k8s.io/rolebindings': binding,
  'rbac.authorization.k8s.io/clusterrolebindings': binding,
  'apiextensions.k8s.io/customresourcedefinitions': nameCreated,
  'coordination.k8s.io/leases': {
    columns: [nameCol(), col('Holder', 'string', 'The holder of the lease'), ageCol()],
    cells: (o, now) => [nameOf(o), str(obj(o['spec'])['holderIdentity']) || '<none>', age(o, now)],
  },
  'storage.k8s.io/storageclasses': {
    columns: [nameCol(), col('Provisioner', 'string', [`${STORAGE}StorageClass`, 'provisioner']), col('ReclaimPolicy', 'string', [`${STORAGE}StorageClass`, 'reclaimPolicy']),
      col('VolumeBindingMode', 'string', [`${STORAGE}StorageClass`, 'volumeBindingMode']), col('AllowVolumeExpansion', 'string', [`${STORAGE}StorageClass`, 'allowVolumeExpansion']), ageCol()],
    cells: (o, now) => {
      const ann = obj(meta(o)['annotations']);
      const isDefault = ann['storageclass.kubernetes.io/is-default-class'] === 'true' || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
      return [isDefault ? `${nameOf(o)} (default)` : nameOf(o), str(o['provisioner']), str(o['reclaimPolicy']) || 'Delete', str(o['volumeBindingMode']) || 'Immediate', o['allowVolumeExpansion'] === true, age(o, now)];
    },
  },
  'storage.k8s.io/csidrivers': {
    columns: [nameCol(), col('AttachRequired', 'boolean', [`${STORAGE}CSIDriverSpec`, 'attachRequired']), col('PodInfoOnMount', 'boolean', [`${STORAGE}CSIDriverSpec`, 'podInfoOnMount']),
      col('StorageCapacity', 'boolean', [`${STORAGE}CSIDriverSpec`, 'storageCapacity']), col('TokenRequests', 'string', [`${STORAGE}CSIDriverSpec`, 'tokenRequests']),
      col('RequiresRepublish', 'boolean', [`${STORAGE}CSIDriverSpec`, 'requiresRepublish']), col('Modes', 'string', [`${STORAGE}CSIDriverSpec`, 'volumeLifecycleModes']), ageCol()],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const tokens = arr(spec['tokenRequests']).map((t) => str(obj(t)['audience']) || '<api-server>');
      const modes = arr(spec['volumeLifecycleModes']).map(str);
      return [nameOf(o), spec['attachRequired'] !== false, spec['podInfoOnMount'] === true, spec['storageCapacity'] === true, tokens.length === 0 ? '<unset>' : tokens.join(','),
        spec['requiresRepublish'] === true, modes.length === 0 ? '<none>' : modes.join(','), age(o, now)];
    },
  },
  'storage.k8s.io/csinodes': {
    columns: [nameCol(), col('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'), ageCol()],
    cells: (o, now) => [nameOf(o), arr(obj(o['spec'])['drivers']).length, age(o, now)],
  },
  'storage.k8s.io/csistoragecapacities': {
    columns: [nameCol(), col('StorageClassName', 'string', [`${STORAGE}CSIStorageCapacity`, 'storageClassName']), col('Capacity', 'string', [`${STORAGE}CSIStorageCapacity`, 'capacity']), ageCol()],
    cells: (o, now) => {
      const cap = o['capacity'];
      return [nameOf(o), str(o['storageClassName']), cap === undefined ? '<unset>' : typeof cap === 'number' ? String(cap) : str(cap), age(o, now)];
    },
  },
  'storage.k8s.io/volumeattachments': {
    columns: [nameCol(), col('Attacher', 'string', [`${STORAGE}VolumeAttachmentSpec`, 'attacher']), col('PV', 'string', [`${STORAGE}VolumeAttachmentSource`, 'persistentVolumeName']),
      col('Node', 'string', [`${STORAGE}VolumeAttachmentSpec`, 'nodeName']), col('Attached', 'boolean', [`${STORAGE}VolumeAttachmentStatus`, 'attached']), ageCol()],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      return [nameOf(o), str(spec['attacher']), str(obj(spec['source'])['persistentVolumeName']), str(spec['nodeName']), obj(o['status'])['attached'] === true, age(o, now)];
    },
  },
  'scheduling.k8s.io/priorityclasses': {
    columns: [nameCol(), col('Value', 'integer', 'value is the integer value of this priority class.'), col('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority.'), ageCol(),
      col('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority.')],
    cells: (o, now) => [nameOf(o), num(o['value']), o['globalDefault'] === true, age(o, now), str(o['preemptionPolicy']) || 'PreemptLowerPriority'],
  },
  'discovery.k8s.io/endpointslices': {
    columns: [nameCol(), col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'), col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
      col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'), ageCol()],
    cells: (o, now) => {
      const ports = arr(o['ports']).map((p) => num(obj(p)['port']));
      const addrs = arr(o['endpoints']).flatMap((e) => arr(obj(e)['addresses']).map(str));
      const shown = addrs.slice(0, 3).join(',');
      return [nameOf(o), str(o['addressType']), ports.length === 0 ? '<unset>' : ports.join(','), addrs.length === 0 ? '<unset>' : addrs.length > 3 ? `${shown} + ${addrs.length - 3} more...` : shown, age(o, now)];
    },
  },
  'certificates.k8s.io/certificatesigningrequests': {
    columns: [nameCol(), ageCol(), col('SignerName', 'string', 'Only include those with the given signerName'), col('Requestor', 'string', 'Name of the requestor'),
      col('RequestedDuration', 'string', 'Requested duration of the certificate'), col('Condition', 'string', 'Condition of the request')],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const conds = arr(obj(o['status'])['conditions']).map(obj).map((c) => str(c['type'])).filter((t) => t !== '');
      const status = conds.length === 0 ? 'Pending' : conds.join(',') + (str(obj(o['status'])['certificate']) !== '' && conds.includes('Approved') ? ',Issued' : '');
      const d = spec['expirationSeconds'];
      return [nameOf(o), age(o, now), str(spec['signerName']), str(spec['username']), typeof d === 'number' ? `${Math.trunc(d / 60)}m` : '<none>', status];
    },
  },
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': webhooks,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': webhooks,
  'node.k8s.io/runtimeclasses': {
    columns: [nameCol(), col('Handler', 'string', 'Handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class.'), ageCol()],
    cells: (o, now) => [nameOf(o), str(o['handler']), age(o, now)],
  },
  'events.k8s.io/events': { columns: eventColumns, cells: (o, now) => eventsV1Cells(o, now) },
};
