/**
 * The pod row: READY, STATUS and RESTARTS computed exactly as printPod in
 * printers.go (init containers, sidecars, waiting/terminated reasons,
 * Terminating, "N (Xm ago)" restarts) plus the wide columns.
 */
import { timestampSince } from './human-duration.js';
import { age, arr, col, nameCol, ageCol, nameOf, num, obj, str, type Obj } from './print-helpers.js';
import type { KubeObject } from '../schema/index.js';
import type { TableRowCondition } from './types.js';

const V1 = 'io.k8s.api.core.v1.';

export const podColumns = [
  nameCol(),
  col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'string', 'The aggregate status of the containers in this pod.'),
  col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageCol(),
  col('IP', 'string', [`${V1}PodStatus`, 'podIP'], 1),
  col('Node', 'string', [`${V1}PodSpec`, 'nodeName'], 1),
  col('Nominated Node', 'string', [`${V1}PodStatus`, 'nominatedNodeName'], 1),
  col('Readiness Gates', 'string', [`${V1}PodSpec`, 'readinessGates'], 1),
];

const isRestartable = (c: Obj | undefined): boolean => c?.['restartPolicy'] === 'Always';
const later = (a: string, b: unknown): string => (typeof b === 'string' && b !== '' && (a === '' || Date.parse(b) > Date.parse(a)) ? b : a);
const condTrue = (conds: Obj[], type: string): boolean => conds.some((c) => c['type'] === type && c['status'] === 'True');

export function printPod(pod: KubeObject, now: Date): unknown[] {
  const spec = obj(pod['spec']);
  const status = obj(pod['status']);
  const conds = arr(status['conditions']).map(obj);
  const phase = str(status['phase']);
  let reason = str(status['reason']) || phase;
  if (conds.some((c) => c['type'] === 'PodScheduled' && c['reason'] === 'SchedulingGated')) reason = 'SchedulingGated';

  const specInit = arr(spec['initContainers']).map(obj);
  const initByName = new Map(specInit.map((c) => [str(c['name']), c]));
  let total = arr(spec['containers']).length + specInit.filter(isRestartable).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = '';
  let lastSidecarRestart = '';

  let initializing = false;
  const initStatuses = arr(status['initContainerStatuses']).map(obj);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    const state = obj(c['state']);
    const term = state['terminated'] === undefined ? undefined : obj(state['terminated']);
    const waiting = state['waiting'] === undefined ? undefined : obj(state['waiting']);
    const lastTerm = obj(obj(c['lastState'])['terminated']);
    restarts += num(c['restartCount']);
    lastRestart = later(lastRestart, lastTerm['finishedAt']);
    const sidecar = isRestartable(initByName.get(str(c['name'])));
    if (sidecar) {
      sidecarRestarts += num(c['restartCount']);
      lastSidecarRestart = later(lastSidecarRestart, lastTerm['finishedAt']);
    }
    if (term !== undefined && num(term['exitCode']) === 0) continue;
    if (sidecar && c['started'] === true) {
      if (c['ready'] === true) ready++;
      continue;
    }
    if (term !== undefined) {
      if (str(term['reason']) === '') reason = num(term['signal']) !== 0 ? `Init:Signal:${num(term['signal'])}` : `Init:ExitCode:${num(term['exitCode'])}`;
      else reason = `Init:${str(term['reason'])}`;
    } else if (waiting !== undefined && str(waiting['reason']) !== '' && waiting['reason'] !== 'PodInitializing') {
      reason = `Init:${str(waiting['reason'])}`;
    } else {
      reason = `Init:${i}/${specInit.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || condTrue(conds, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(status['containerStatuses']).map(obj);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      const state = obj(c['state']);
      restarts += num(c['restartCount']);
      lastRestart = later(lastRestart, obj(obj(c['lastState'])['terminated'])['finishedAt']);
      const waiting = state['waiting'] === undefined ? undefined : obj(state['waiting']);
      const term = state['terminated'] === undefined ? undefined : obj(state['terminated']);
      if (waiting !== undefined && str(waiting['reason']) !== '') reason = str(waiting['reason']);
      else if (term !== undefined && str(term['reason']) !== '') reason = str(term['reason']);
      else if (term !== undefined) reason = num(term['signal']) !== 0 ? `Signal:${num(term['signal'])}` : `ExitCode:${num(term['exitCode'])}`;
      else if (c['ready'] === true && state['running'] !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = condTrue(conds, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = obj(pod.metadata)['deletionTimestamp'] !== undefined;
  if (deleting && status['reason'] === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsCell = restarts !== 0 && lastRestart !== '' ? `${restarts} (${timestampSince(lastRestart, now)} ago)` : String(restarts);

  const podIPs = arr(status['podIPs']).map(obj);
  const ip = str(podIPs[0]?.['ip']) || str(status['podIP']) || '<none>';
  const gates = arr(spec['readinessGates']).map(obj);
  let gatesCell = '<none>';
  if (gates.length > 0) {
    const trueCount = gates.filter((g) => {
      const c = conds.find((x) => x['type'] === g['conditionType']);
      return c?.['status'] === 'True';
    }).length;
    gatesCell = `${trueCount}/${gates.length}`;
  }
  total = Math.max(total, 0);
  return [nameOf(pod), `${ready}/${total}`, reason, restartsCell, age(pod, now), ip, str(spec['nodeName']) || '<none>', str(status['nominatedNodeName']) || '<none>', gatesCell];
}

/** Row conditions printers.go attaches to finished pods (kubectl hides them unless --show-all). */
export function podRowConditions(pod: KubeObject): TableRowCondition[] | undefined {
  const phase = obj(pod['status'])['phase'];
  if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return undefined;
}
