/**
 * Client-side apply of a manifest with many kinds is idempotent: the second
 * apply finds nothing to patch for any of them. A stored default that Go
 * would not serialize (an empty string behind omitempty, an empty map) shows
 * up here as "configured".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BerthServer } from '../harness/berth-server.js';

export const MANY_KINDS = `apiVersion: v1
kind: Namespace
metadata: {name: applied}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: applied}
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: applied}
stringData: {user: admin}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: applied}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: applied}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      tolerations: [{operator: Exists}]
      containers: [{name: a, image: busybox, args: [sleep, "1000"], resources: {limits: {cpu: 100m, memory: 64Mi}}}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: applied}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: j, image: busybox}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: applied}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: applied}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}], ports: [{protocol: TCP, port: 443}]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: applied}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: applied}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: app, namespace: applied}]
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: applied-fast}
provisioner: example.com/fast
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: applied}
spec: {limits: [{type: Container, default: {cpu: 200m}, defaultRequest: {cpu: 100m}}]}
`;

export function kubectlApplyTests(server: () => BerthServer): void {
  test('apply of a many-kind manifest is idempotent; delete -f removes it all', async () => {
    const s = server();
    const f = s.file('many.yaml', MANY_KINDS);
    const first = await s.k(['apply', '-f', f]);
    const objects = first.trim().split('\n');
    assert.equal(objects.length, 12, first);
    for (const line of objects) assert.match(line, / created$/);
    const second = await s.k(['apply', '-f', f]);
    assert.deepEqual(second.trim().split('\n').filter((l) => !l.endsWith(' unchanged')), [], second);
    // The namespace goes first and takes its contents with it, so the rest may already be gone.
    assert.match(await s.k(['delete', '-f', f, '--wait=false', '--ignore-not-found']), /namespace "applied" deleted/);
    assert.equal(await s.k(['get', 'storageclass', 'applied-fast', '--ignore-not-found', '-o', 'name']), '');
  });
}
