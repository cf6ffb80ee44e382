/**
 * Server-side printing: every listable built-in resource answers a Table
 * with kube-apiserver 1.32's columns (pkg/printers/internalversion; `*` marks
 * the priority-1 "wide" columns), and Table watches print rows per event.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient } from './harness/api-client.js';
import { BerthServer } from './harness/berth-server.js';
import { deploymentObject } from './suites/manifests.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const RS = 'Name, Desired, Current, Ready, Age, Containers*, Images*, Selector*';
const EVENTS = 'Last Seen, Type, Reason, Object, Subobject*, Source*, Message, First Seen*, Count*, Name*';
const BINDINGS = 'Name, Role, Age, Users*, Groups*, ServiceAccounts*';
const HPA = 'Name, Reference, Targets, MinPods, MaxPods, Replicas, Age';

/** group/version/resource → column names. */
const UPSTREAM: Record<string, string> = {
  '/v1/componentstatuses': 'Name, Status, Message, Error',
  '/v1/configmaps': 'Name, Data, Age',
  '/v1/endpoints': 'Name, Endpoints, Age',
  '/v1/events': EVENTS,
  '/v1/limitranges': 'Name, Created At',
  '/v1/namespaces': 'Name, Status, Age',
  '/v1/nodes': 'Name, Status, Roles, Age, Version, Internal-IP*, External-IP*, OS-Image*, Kernel-Version*, Container-Runtime*',
  '/v1/persistentvolumeclaims': 'Name, Status, Volume, Capacity, Access Modes, StorageClass, VolumeAttributesClass, Age, VolumeMode*',
  '/v1/persistentvolumes': 'Name, Capacity, Access Modes, Reclaim Policy, Status, Claim, StorageClass, VolumeAttributesClass, Reason, Age, VolumeMode*',
  '/v1/pods': 'Name, Ready, Status, Restarts, Age, IP*, Node*, Nominated Node*, Readiness Gates*',
  '/v1/podtemplates': 'Name, Containers, Images, Pod Labels',
  '/v1/replicationcontrollers': RS,
  '/v1/resourcequotas': 'Name, Age, Request, Limit',
  '/v1/secrets': 'Name, Type, Data, Age',
  '/v1/serviceaccounts': 'Name, Secrets, Age',
  '/v1/services': 'Name, Type, Cluster-IP, External-IP, Port(s), Age, Selector*',
  'apps/v1/controllerrevisions': 'Name, Controller, Revision, Age',
  'apps/v1/daemonsets': 'Name, Desired, Current, Ready, Up-to-date, Available, Node Selector, Age, Containers*, Images*, Selector*',
  'apps/v1/deployments': 'Name, Ready, Up-to-date, Available, Age, Containers*, Images*, Selector*',
  'apps/v1/replicasets': RS,
  'apps/v1/statefulsets': 'Name, Ready, Age, Containers*, Images*',
  'events.k8s.io/v1/events': EVENTS,
  'autoscaling/v2/horizontalpodautoscalers': HPA,
  'autoscaling/v1/horizontalpodautoscalers': HPA,
  'batch/v1/cronjobs': 'Name, Schedule, Timezone, Suspend, Active, Last Schedule, Age, Containers*, Images*, Selector*',
  'batch/v1/jobs': 'Name, Status, Completions, Duration, Age, Containers*, Images*, Selector*',
  'certificates.k8s.io/v1/certificatesigningrequests': 'Name, Age, SignerName, Requestor, RequestedDuration, Condition',
  'networking.k8s.io/v1/ingressclasses': 'Name, Controller, Parameters, Age',
  'networking.k8s.io/v1/ingresses': 'Name, Class, Hosts, Address, Ports, Age',
  'networking.k8s.io/v1/networkpolicies': 'Name, Pod-Selector, Age',
  'policy/v1/poddisruptionbudgets': 'Name, Min Available, Max Unavailable, Allowed Disruptions, Age',
  'rbac.authorization.k8s.io/v1/clusterrolebindings': BINDINGS,
  'rbac.authorization.k8s.io/v1/clusterroles': 'Name, Created At',
  'rbac.authorization.k8s.io/v1/rolebindings': BINDINGS,
  'rbac.authorization.k8s.io/v1/roles': 'Name, Created At',
  'storage.k8s.io/v1/csidrivers': 'Name, AttachRequired, PodInfoOnMount, StorageCapacity, TokenRequests, RequiresRepublish, Modes, Age',
  'storage.k8s.io/v1/csinodes': 'Name, Drivers, Age',
  'storage.k8s.io/v1/csistoragecapacities': 'Name, StorageClassName, Capacity, Age',
  'storage.k8s.io/v1/storageclasses': 'Name, Provisioner, ReclaimPolicy, VolumeBindingMode, AllowVolumeExpansion, Age',
  'storage.k8s.io/v1/volumeattachments': 'Name, Attacher, PV, Node, Attached, Age',
  'admissionregistration.k8s.io/v1/mutatingwebhookconfigurations': 'Name, Webhooks, Age',
  'admissionregistration.k8s.io/v1/validatingwebhookconfigurations': 'Name, Webhooks, Age',
  'apiextensions.k8s.io/v1/customresourcedefinitions': 'Name, Created At',
  'scheduling.k8s.io/v1/priorityclasses': 'Name, Value, Global-Default, Age, PreemptionPolicy',
  'coordination.k8s.io/v1/leases': 'Name, Holder, Age',
  'node.k8s.io/v1/runtimeclasses': 'Name, Handler, Age',
  'discovery.k8s.io/v1/endpointslices': 'Name, AddressType, Ports, Endpoints, Age',
};

interface DiscoveryResource { resource: string; verbs: string[] }
interface DiscoveryGroup { metadata: { name: string }; versions: { version: string; resources: DiscoveryResource[] }[] }

describe('berth server: Table output', { timeout: 120_000 }, () => {
  let server: BerthServer;
  let api: ApiClient;
  before(async () => {
    server = await BerthServer.start();
    api = new ApiClient(server.kubeconfig);
  });
  after(async () => {
    api?.close();
    await server?.stop();
  });

  test('every listable built-in resource prints the upstream columns', async () => {
    const agg = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
    const groups = [...(await api.request('GET', '/api', undefined, { Accept: agg })).json.items, ...(await api.request('GET', '/apis', undefined, { Accept: agg })).json.items] as DiscoveryGroup[];
    const seen: string[] = [];
    for (const g of groups) {
      for (const v of g.versions) {
        for (const r of v.resources) {
          if (!r.verbs.includes('list')) continue;
          const key = `${g.metadata.name}/${v.version}/${r.resource}`;
          const base = g.metadata.name === '' ? `/api/${v.version}` : `/apis/${g.metadata.name}/${v.version}`;
          const t = await api.request('GET', `${base}/${r.resource}`, undefined, { Accept: TABLE });
          assert.equal(t.json.kind, 'Table', key);
          const columns = (t.json.columnDefinitions as { name: string; priority?: number }[]).map((c) => `${c.name}${c.priority ? '*' : ''}`).join(', ');
          assert.equal(columns, UPSTREAM[key], key);
          seen.push(key);
        }
      }
    }
    assert.deepEqual(seen.sort(), Object.keys(UPSTREAM).sort(), 'every built-in resource was checked');
    const ns = await api.request('GET', '/api/v1/namespaces/kube-system', undefined, { Accept: TABLE });
    assert.deepEqual(ns.json.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 2)), [['kube-system', 'Active']], 'a single object prints one row');
  });

  test('Table watches print one row per event for pods and deployments', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    const deploys = '/apis/apps/v1/namespaces/default/deployments';
    const list = await api.request('GET', pods);
    const podWatch = api.watch(`${pods}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}`, { Accept: TABLE });
    const deployWatch = api.watch(`${deploys}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}`, { Accept: TABLE });
    try {
      await api.request('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'printed' }, spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }] } });
      await api.request('POST', deploys, deploymentObject('printed', 3));
      const [podEvent] = await podWatch.waitFor(1);
      const [deployEvent] = await deployWatch.waitFor(1);
      assert.equal(podEvent.type, 'ADDED');
      assert.equal(podEvent.object.kind, 'Table');
      assert.deepEqual(podEvent.object.rows[0].cells.slice(0, 4), ['printed', '0/2', 'Pending', '0']);
      assert.equal(podEvent.object.rows[0].object.kind, 'PartialObjectMetadata');
      assert.deepEqual(deployEvent.object.rows[0].cells.slice(0, 4), ['printed', '0/3', 0, 0]);
      assert.deepEqual(deployEvent.object.rows[0].cells.slice(5), ['main', 'nginx:1.25', 'app=printed']);
    } finally {
      podWatch.stop();
      deployWatch.stop();
    }
  });
});
