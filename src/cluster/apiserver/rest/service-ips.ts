/**
 * Cluster IPs (10.43.0.0/16, like k3s; 10.43.0.1 is the `kubernetes`
 * service) and node ports (30000-32767) for new Services. Allocation checks
 * the live Services, so restarts and several servers stay consistent
 * enough; a clash of two concurrent random picks is as unlikely as 1/65k.
 */
import { randomInt } from 'node:crypto';
import { invalidError } from '../errors.js';
import { listObjects, resourcePrefix } from '../storage/index.js';
import type { Store } from '../../store/types.js';
import type { KubeObject } from '../types.js';

export const SERVICE_CIDR_PREFIX = '10.43.';
export const KUBERNETES_SERVICE_IP = '10.43.0.1';

type Rec = Record<string, unknown>;
const servicesPrefix = resourcePrefix({ group: '', resource: 'services', namespaced: true });

async function inUse(store: Store): Promise<{ ips: Set<string>; ports: Set<number> }> {
  const { items } = await listObjects(store, { prefix: servicesPrefix });
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const s of items) {
    const spec = (s['spec'] ?? {}) as Rec;
    for (const ip of (spec['clusterIPs'] as string[] | undefined) ?? [spec['clusterIP'] as string]) if (typeof ip === 'string') ips.add(ip);
    for (const p of (spec['ports'] as Rec[] | undefined) ?? []) if (typeof p['nodePort'] === 'number') ports.add(p['nodePort']);
  }
  return { ips, ports };
}

export async function allocateServiceAddresses(store: Store, svc: KubeObject): Promise<void> {
  const spec = (svc['spec'] ?? {}) as Rec;
  svc['spec'] = spec;
  const type = (spec['type'] as string | undefined) ?? 'ClusterIP';
  const needsNodePorts = type === 'NodePort' || type === 'LoadBalancer';
  const wantsIp = type !== 'ExternalName' && spec['clusterIP'] !== 'None' && (spec['clusterIP'] === undefined || spec['clusterIP'] === '');
  if (!wantsIp && !needsNodePorts) {
    if (spec['clusterIP'] === 'None') spec['clusterIPs'] = ['None'];
    return;
  }
  const used = await inUse(store);
  if (wantsIp) {
    let ip = '';
    for (let i = 0; i < 1000 && (ip === '' || used.ips.has(ip)); i++) ip = `${SERVICE_CIDR_PREFIX}${randomInt(0, 256)}.${randomInt(1, 255)}`;
    spec['clusterIP'] = ip;
    spec['clusterIPs'] = [ip];
  } else if (typeof spec['clusterIP'] === 'string' && spec['clusterIPs'] === undefined) {
    spec['clusterIPs'] = [spec['clusterIP']];
  }
  if (needsNodePorts) {
    for (const p of (spec['ports'] as Rec[] | undefined) ?? []) {
      if (typeof p['nodePort'] === 'number' && p['nodePort'] !== 0) {
        if (used.ports.has(p['nodePort'])) {
          throw invalidError({ group: '', kind: 'Service' }, svc.metadata.name ?? '', [{ reason: 'FieldValueInvalid', field: 'spec.ports[0].nodePort', message: `Invalid value: ${p['nodePort']}: provided port is already allocated` }]);
        }
        continue;
      }
      let port = 0;
      for (let i = 0; i < 3000 && (port === 0 || used.ports.has(port)); i++) port = randomInt(30000, 32768);
      p['nodePort'] = port;
      used.ports.add(port);
    }
  }
}

/** PUT without the allocated values keeps them (upstream's patchAllocatedValues). */
export function keepAllocated(next: KubeObject, old: KubeObject): void {
  const ns = (next['spec'] ?? {}) as Rec;
  const os = (old['spec'] ?? {}) as Rec;
  next['spec'] = ns;
  if ((ns['clusterIP'] === undefined || ns['clusterIP'] === '') && os['clusterIP'] !== undefined) ns['clusterIP'] = os['clusterIP'];
  if (ns['clusterIPs'] === undefined && os['clusterIPs'] !== undefined) ns['clusterIPs'] = os['clusterIPs'];
  const oldPorts = (os['ports'] as Rec[] | undefined) ?? [];
  for (const p of (ns['ports'] as Rec[] | undefined) ?? []) {
    if (p['nodePort'] !== undefined) continue;
    const match = oldPorts.find((o) => o['port'] === p['port'] && (o['protocol'] ?? 'TCP') === (p['protocol'] ?? 'TCP'));
    if (match?.['nodePort'] !== undefined && (ns['type'] === 'NodePort' || ns['type'] === 'LoadBalancer')) p['nodePort'] = match['nodePort'];
  }
}
