/**
 * Printers for workload kinds (apps, batch, autoscaling, policy), as in
 * Kubernetes' printers.go.
 */
import { humanDuration, timestampSince } from './human-duration.js';
import { age, arr, col, containersAndImages, formatSelector, hasCondition, meta, nameCol, ageCol, nameOf, num, obj, str, templateSpec, type Obj } from './print-helpers.js';
import type { KindPrinter, TableColumnDefinition } from './types.js';

const APPS = 'io.k8s.api.apps.v1.';
const BATCH = 'io.k8s.api.batch.v1.';

const templateCols = (selectorDoc: [string, string]): TableColumnDefinition[] => [
  col('Containers', 'string', 'Names of each container in the template.', 1),
  col('Images', 'string', 'Images referenced by each container in the template.', 1),
  col('Selector', 'string', selectorDoc, 1),
];

const tmpl = (o: Obj): unknown[] => {
  const [c, i] = containersAndImages(templateSpec(o));
  return [c, i, formatSelector(obj(o['spec'])['selector'])];
};

function jobStatus(job: Obj): string {
  const conds = obj(job['status'])['conditions'];
  if (hasCondition(conds, 'Complete')) return 'Complete';
  if (hasCondition(conds, 'Failed')) return 'Failed';
  if (meta(job)['deletionTimestamp'] !== undefined) return 'Terminating';
  if (hasCondition(conds, 'Suspended')) return 'Suspended';
  if (hasCondition(conds, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(conds, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(job: Obj): string {
  const spec = obj(job['spec']);
  const succeeded = num(obj(job['status'])['succeeded']);
  if (typeof spec['completions'] === 'number') return `${succeeded}/${spec['completions']}`;
  if (typeof spec['parallelism'] === 'number' && spec['parallelism'] > 1) return `${succeeded}/1 of ${spec['parallelism']}`;
  return `${succeeded}/1`;
}

function jobDuration(job: Obj, now: Date): string {
  const status = obj(job['status']);
  const start = Date.parse(str(status['startTime']));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(status['completionTime']));
  return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
}

/** formatHPAMetrics for the common Resource/Pods/Object/External metrics, "name: current/target". */
function hpaTargets(hpa: Obj): string {
  const specMetrics = arr(obj(hpa['spec'])['metrics']).map(obj);
  const current = arr(obj(hpa['status'])['currentMetrics']).map(obj);
  if (specMetrics.length === 0) {
    const t = obj(hpa['spec'])['targetCPUUtilizationPercentage'];
    if (typeof t !== 'number') return '<none>';
    const c = obj(hpa['status'])['currentCPUUtilizationPercentage'];
    return `cpu: ${typeof c === 'number' ? `${c}%` : '<unknown>'}/${t}%`;
  }
  const parts = specMetrics.map((m, i) => {
    const type = str(m['type']);
    const key = type.charAt(0).toLowerCase() + type.slice(1);
    const src = obj(m[key === 'containerResource' ? 'containerResource' : key]);
    const target = obj(src['target']);
    const cur = obj(obj(current[i])[key]);
    const curVal = obj(cur['current']);
    const name = type === 'Resource' || type === 'ContainerResource' ? str(src['name']) : str(obj(src['metric'])['name']);
    if (target['type'] === 'Utilization') {
      const c = curVal['averageUtilization'];
      return `${name}: ${typeof c === 'number' ? `${c}%` : '<unknown>'}/${num(target['averageUtilization'])}%`;
    }
    const tv = target['averageValue'] ?? target['value'];
    const cv = curVal['averageValue'] ?? curVal['value'];
    const suffix = target['type'] === 'AverageValue' && type !== 'Pods' ? ' (avg)' : '';
    return `${name}: ${cv === undefined ? '<unknown>' : String(cv)}/${String(tv)}${suffix}`;
  });
  return parts.length > 2 ? `${parts.slice(0, 2).join(', ')} + ${parts.length - 2} more...` : parts.join(', ');
}

const intOrString = (v: unknown): string => (v === undefined || v === null ? 'N/A' : String(v));

export const appsPrinters: Record<string, KindPrinter> = {
  deployments: {
    columns: [nameCol(), col('Ready', 'string', 'Number of the pod with ready state'), col('Up-to-date', 'string', [`${APPS}DeploymentStatus`, 'updatedReplicas']),
      col('Available', 'string', [`${APPS}DeploymentStatus`, 'availableReplicas']), ageCol(), ...templateCols([`${APPS}DeploymentSpec`, 'selector'])],
    cells: (o, now) => {
      const s = obj(o['status']);
      return [nameOf(o), `${num(s['readyReplicas'])}/${num(obj(o['spec'])['replicas'])}`, num(s['updatedReplicas']), num(s['availableReplicas']), age(o, now), ...tmpl(o)];
    },
  },
  replicasets: {
    columns: [nameCol(), col('Desired', 'integer', [`${APPS}ReplicaSetSpec`, 'replicas']), col('Current', 'integer', [`${APPS}ReplicaSetStatus`, 'replicas']),
      col('Ready', 'integer', [`${APPS}ReplicaSetStatus`, 'readyReplicas']), ageCol(), ...templateCols([`${APPS}ReplicaSetSpec`, 'selector'])],
    cells: (o, now) => {
      const s = obj(o['status']);
      return [nameOf(o), num(obj(o['spec'])['replicas']), num(s['replicas']), num(s['readyReplicas']), age(o, now), ...tmpl(o)];
    },
  },
  statefulsets: {
    columns: [nameCol(), col('Ready', 'string', 'Number of the pod with ready state'), ageCol(),
      col('Containers', 'string', 'Names of each container in the template.', 1), col('Images', 'string', 'Images referenced by each container in the template.', 1)],
    cells: (o, now) => {
      const [c, i] = containersAndImages(templateSpec(o));
      return [nameOf(o), `${num(obj(o['status'])['readyReplicas'])}/${num(obj(o['spec'])['replicas'])}`, age(o, now), c, i];
    },
  },
  daemonsets: {
    columns: [nameCol(), col('Desired', 'integer', [`${APPS}DaemonSetStatus`, 'desiredNumberScheduled']), col('Current', 'integer', [`${APPS}DaemonSetStatus`, 'currentNumberScheduled']),
      col('Ready', 'integer', [`${APPS}DaemonSetStatus`, 'numberReady']), col('Up-to-date', 'integer', [`${APPS}DaemonSetStatus`, 'updatedNumberScheduled']),
      col('Available', 'integer', [`${APPS}DaemonSetStatus`, 'numberAvailable']), col('Node Selector', 'string', ['io.k8s.api.core.v1.PodSpec', 'nodeSelector']), ageCol(),
      ...templateCols([`${APPS}DaemonSetSpec`, 'selector'])],
    cells: (o, now) => {
      const s = obj(o['status']);
      const ns = obj(templateSpec(o)['nodeSelector']);
      const nsCell = Object.keys(ns).length === 0 ? '<none>' : Object.keys(ns).sort().map((k) => `${k}=${str(ns[k])}`).join(',');
      return [nameOf(o), num(s['desiredNumberScheduled']), num(s['currentNumberScheduled']), num(s['numberReady']), num(s['updatedNumberScheduled']), num(s['numberAvailable']), nsCell, age(o, now), ...tmpl(o)];
    },
  },
  controllerrevisions: {
    columns: [nameCol(), col('Controller', 'string', 'Controller of the object'), col('Revision', 'string', [`${APPS}ControllerRevision`, 'revision']), ageCol()],
    cells: (o, now) => {
      const owner = obj(arr(meta(o)['ownerReferences']).find((r) => obj(r)['controller'] === true));
      const gv = str(owner['apiVersion']);
      const group = gv.includes('/') ? gv.split('/')[0]! : '';
      const controller = str(owner['name']) === '' ? '<none>' : `${str(owner['kind']).toLowerCase()}${group === '' ? '' : `.${group}`}/${str(owner['name'])}`;
      return [nameOf(o), controller, num(o['revision']), age(o, now)];
    },
  },
  jobs: {
    columns: [nameCol(), col('Status', 'string', 'Status of the job.'), col('Completions', 'string', [`${BATCH}JobStatus`, 'succeeded']), col('Duration', 'string', 'Time required to complete the job.'), ageCol(),
      ...templateCols([`${BATCH}JobSpec`, 'selector'])],
    cells: (o, now) => [nameOf(o), jobStatus(o), jobCompletions(o), jobDuration(o, now), age(o, now), ...tmpl(o)],
  },
  cronjobs: {
    columns: [nameCol(), col('Schedule', 'string', [`${BATCH}CronJobSpec`, 'schedule']), col('Timezone', 'string', [`${BATCH}CronJobSpec`, 'timeZone']), col('Suspend', 'boolean', [`${BATCH}CronJobSpec`, 'suspend']),
      col('Active', 'integer', [`${BATCH}CronJobStatus`, 'active']), col('Last Schedule', 'string', [`${BATCH}CronJobStatus`, 'lastScheduleTime']), ageCol(),
      col('Containers', 'string', 'Names of each container in the template.', 1), col('Images', 'string', 'Images referenced by each container in the template.', 1), col('Selector', 'string', [`${BATCH}JobSpec`, 'selector'], 1)],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const status = obj(o['status']);
      const jobSpec = obj(obj(spec['jobTemplate'])['spec']);
      const [c, i] = containersAndImages(obj(obj(jobSpec['template'])['spec']));
      const last = str(status['lastScheduleTime']) === '' ? '<none>' : timestampSince(status['lastScheduleTime'], now);
      return [nameOf(o), str(spec['schedule']), str(spec['timeZone']) || '<none>', spec['suspend'] === true, arr(status['active']).length, last, age(o, now), c, i, formatSelector(jobSpec['selector'])];
    },
  },
  horizontalpodautoscalers: {
    columns: [nameCol(), col('Reference', 'string', 'ScaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
      col('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).'),
      col('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
      col('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
      col('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'), ageCol()],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const ref = obj(spec['scaleTargetRef']);
      const min = typeof spec['minReplicas'] === 'number' ? String(spec['minReplicas']) : '<unset>';
      return [nameOf(o), `${str(ref['kind'])}/${str(ref['name'])}`, hpaTargets(o), min, num(spec['maxReplicas']), num(obj(o['status'])['currentReplicas']), age(o, now)];
    },
  },
  poddisruptionbudgets: {
    columns: [nameCol(), col('Min Available', 'string', 'The minimum number of pods that must be available.'),
      col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
      col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'), ageCol()],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      return [nameOf(o), intOrString(spec['minAvailable']), intOrString(spec['maxUnavailable']), num(obj(o['status'])['disruptionsAllowed']), age(o, now)];
    },
  },
};
