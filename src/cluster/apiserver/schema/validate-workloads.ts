/**
 * apps/v1 and batch/v1 workload validation: replicas, selectors that must
 * match the template labels, strategies, restart policies, and the
 * immutable selector on update.
 */
import { fieldErrors, GoValue, goStringMap, root, type FieldPath } from './field-errors.js';
import { asArr, asObj, asStr, immutable, nonNegative, selectorMatches, validateAnnotations, validateLabels, validateLabelSelector, type Obj } from './validate-meta.js';
import { sortKeys, validatePodTemplate } from './validate-pod.js';
import type { FieldError } from './types.js';

/** %#v of a metav1.LabelSelector, as 1.32 prints it in "field is immutable". */
function goLabelSelector(sel: unknown): GoValue {
  const s = asObj(sel);
  const ml = s['matchLabels'] === undefined ? 'map[string]string(nil)' : goStringMap(asObj(s['matchLabels'])).text;
  const exprs = asArr(s['matchExpressions']);
  const me = s['matchExpressions'] === undefined
    ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${exprs.map((e) => {
      const x = asObj(e);
      const vals = asArr(x['values']).map((v) => JSON.stringify(String(v))).join(', ');
      return `v1.LabelSelectorRequirement{Key:${JSON.stringify(asStr(x['key']))}, Operator:${JSON.stringify(asStr(x['operator']))}, Values:[]string{${vals}}}`;
    }).join(', ')}}`;
  return new GoValue(`v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`);
}

function isEmptySelector(sel: unknown): boolean {
  const s = asObj(sel);
  return Object.keys(asObj(s['matchLabels'])).length === 0 && asArr(s['matchExpressions']).length === 0;
}

/** Selector present, non-empty, valid, and matching the template labels. */
function selectorAndTemplate(spec: Obj, path: FieldPath, kindWord: string): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec['selector'];
  const sp = path.child('selector');
  if (sel === undefined || sel === null) {
    errs.push(fieldErrors.required(sp.path));
  } else if (isEmptySelector(sel)) {
    errs.push(fieldErrors.invalid(sp.path, sel, `empty selector is invalid for ${kindWord}`));
  } else {
    errs.push(...validateLabelSelector(sel, sp));
    const labels = asObj(asObj(asObj(spec['template'])['metadata'])['labels']);
    if (!selectorMatches(sel, labels)) {
      errs.push(fieldErrors.invalid(path.child('template').child('metadata').child('labels').path, goStringMap(labels), '`selector` does not match template `labels`'));
    }
  }
  return errs;
}

function selectorUnchanged(spec: Obj, old: Obj, path: FieldPath): FieldError[] {
  if (old['selector'] === undefined) return [];
  return JSON.stringify(sortKeys(spec['selector'])) === JSON.stringify(sortKeys(old['selector']))
    ? []
    : [immutable(path.child('selector').path, goLabelSelector(spec['selector']))];
}

function deploymentStrategy(strategy: unknown, path: FieldPath): FieldError[] {
  const s = asObj(strategy);
  const errs: FieldError[] = [];
  const type = s['type'];
  if (type !== undefined && type !== 'Recreate' && type !== 'RollingUpdate') {
    errs.push(fieldErrors.notSupported(path.child('type').path, type, ['Recreate', 'RollingUpdate']));
  }
  const ru = asObj(s['rollingUpdate']);
  if (type === 'Recreate' && s['rollingUpdate'] !== undefined) {
    errs.push(fieldErrors.forbidden(path.child('rollingUpdate').path, 'may not be specified when strategy `type` is \'Recreate\''));
  }
  const isZero = (v: unknown): boolean => v === 0 || v === '0%' || v === '0';
  if (s['rollingUpdate'] !== undefined && isZero(ru['maxUnavailable']) && isZero(ru['maxSurge'])) {
    errs.push(fieldErrors.invalid(path.child('rollingUpdate').child('maxUnavailable').path, ru['maxUnavailable'], 'may not be 0 when `maxSurge` is 0'));
  }
  return errs;
}

export function validateDeployment(obj: Obj, old: Obj | undefined): FieldError[] {
  const spec = asObj(obj['spec']);
  const p = root('spec');
  const errs = [
    ...nonNegative(spec['replicas'], p.child('replicas').path),
    ...selectorAndTemplate(spec, p, 'deployment'),
    ...validatePodTemplate(spec['template'], p.child('template'), ['Always']),
    ...deploymentStrategy(spec['strategy'], p.child('strategy')),
    ...nonNegative(spec['minReadySeconds'], p.child('minReadySeconds').path),
    ...nonNegative(spec['revisionHistoryLimit'], p.child('revisionHistoryLimit').path),
  ];
  const pds = spec['progressDeadlineSeconds'];
  if (typeof pds === 'number') {
    errs.push(...nonNegative(pds, p.child('progressDeadlineSeconds').path));
    const mrs = typeof spec['minReadySeconds'] === 'number' ? spec['minReadySeconds'] : 0;
    if (pds <= mrs) errs.push(fieldErrors.invalid(p.child('progressDeadlineSeconds').path, pds, 'must be greater than minReadySeconds'));
  }
  if (old !== undefined) errs.push(...selectorUnchanged(spec, asObj(old['spec']), p));
  return errs;
}

export function validateReplicaSet(obj: Obj, old: Obj | undefined): FieldError[] {
  const spec = asObj(obj['spec']);
  const p = root('spec');
  const errs = [
    ...nonNegative(spec['replicas'], p.child('replicas').path),
    ...nonNegative(spec['minReadySeconds'], p.child('minReadySeconds').path),
    ...selectorAndTemplate(spec, p, 'replicaset'),
    ...validatePodTemplate(spec['template'], p.child('template'), ['Always']),
  ];
  if (old !== undefined) errs.push(...selectorUnchanged(spec, asObj(old['spec']), p));
  return errs;
}

/** ReplicationControllers select with a plain label map (ValidateReplicationControllerSpec), which may change. */
export function validateReplicationController(obj: Obj): FieldError[] {
  const spec = asObj(obj['spec']);
  const p = root('spec');
  const selector = asObj(spec['selector']);
  const errs = [...nonNegative(spec['minReadySeconds'], p.child('minReadySeconds').path)];
  if (Object.keys(selector).length === 0) errs.push(fieldErrors.required(p.child('selector').path));
  errs.push(...nonNegative(spec['replicas'], p.child('replicas').path));
  const template = spec['template'];
  if (template === undefined || template === null) {
    errs.push(fieldErrors.required(p.child('template').path));
    return errs;
  }
  const labels = asObj(asObj(asObj(template)['metadata'])['labels']);
  if (Object.keys(selector).length > 0 && Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
    errs.push(fieldErrors.invalid(p.child('template').child('metadata').child('labels').path, goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplate(template, p.child('template'), ['Always']));
  return errs;
}

/**
 * Upstream leaves a StatefulSet's pod spec unvalidated (volume mounts may
 * name volumeClaimTemplates; ValidatePodTemplateSpecForStatefulSet has a
 * TODO): template labels and annotations, restartPolicy Always, no
 * activeDeadlineSeconds.
 */
function statefulSetTemplate(template: unknown, path: FieldPath): FieldError[] {
  const t = asObj(template);
  const meta = asObj(t['metadata']);
  const spec = asObj(t['spec']);
  const errs = [...validateLabels(meta['labels'], path.child('metadata').child('labels')), ...validateAnnotations(meta['annotations'], path.child('metadata').child('annotations'))];
  const rp = spec['restartPolicy'];
  if (rp !== undefined && rp !== 'Always') errs.push(fieldErrors.notSupported(path.child('spec').child('restartPolicy').path, rp, ['Always']));
  if (spec['activeDeadlineSeconds'] !== undefined && spec['activeDeadlineSeconds'] !== null) {
    errs.push(fieldErrors.forbidden(path.child('spec').child('activeDeadlineSeconds').path, 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

export function validateStatefulSet(obj: Obj, old: Obj | undefined): FieldError[] {
  const spec = asObj(obj['spec']);
  const p = root('spec');
  const errs = [
    ...nonNegative(spec['replicas'], p.child('replicas').path),
    ...selectorAndTemplate(spec, p, 'statefulset'),
    ...statefulSetTemplate(spec['template'], p.child('template')),
  ];
  const pmp = spec['podManagementPolicy'];
  if (pmp !== undefined && pmp !== 'OrderedReady' && pmp !== 'Parallel') {
    errs.push(fieldErrors.notSupported(p.child('podManagementPolicy').path, pmp, ['OrderedReady', 'Parallel']));
  }
  if (old !== undefined) {
    const o = asObj(old['spec']);
    // Only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds may change.
    const strip = (s: Obj): string => {
      const c = { ...s };
      for (const k of ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']) delete c[k];
      return JSON.stringify(sortKeys(c));
    };
    if (strip(spec) !== strip(o)) {
      errs.push(fieldErrors.forbidden(p.path, "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
    }
  }
  return errs;
}

export function validateDaemonSet(obj: Obj, old: Obj | undefined): FieldError[] {
  const spec = asObj(obj['spec']);
  const p = root('spec');
  const errs = [
    ...selectorAndTemplate(spec, p, 'daemonset'),
    ...validatePodTemplate(spec['template'], p.child('template'), ['Always']),
  ];
  if (old !== undefined) errs.push(...selectorUnchanged(spec, asObj(old['spec']), p));
  return errs;
}

export function validateJob(obj: Obj, old: Obj | undefined, p: FieldPath = root('spec')): FieldError[] {
  const spec = asObj(obj['spec']);
  const errs = [
    ...nonNegative(spec['parallelism'], p.child('parallelism').path),
    ...nonNegative(spec['completions'], p.child('completions').path),
    ...nonNegative(spec['backoffLimit'], p.child('backoffLimit').path),
    ...validatePodTemplate(spec['template'], p.child('template')),
  ];
  const rp = asObj(asObj(spec['template'])['spec'])['restartPolicy'];
  if (rp !== 'OnFailure' && rp !== 'Never') {
    errs.push(fieldErrors.notSupported(p.child('template').child('spec').child('restartPolicy').path, rp ?? '', ['OnFailure', 'Never']));
  }
  const cm = spec['completionMode'];
  if (cm !== undefined && cm !== 'NonIndexed' && cm !== 'Indexed') errs.push(fieldErrors.notSupported(p.child('completionMode').path, cm, ['NonIndexed', 'Indexed']));
  if (old !== undefined) {
    const o = asObj(old['spec']);
    if (o['selector'] !== undefined && JSON.stringify(sortKeys(spec['selector'])) !== JSON.stringify(sortKeys(o['selector']))) {
      errs.push(immutable(p.child('selector').path, goLabelSelector(spec['selector'])));
    }
    if (o['completions'] !== undefined && spec['completions'] !== o['completions'] && cm !== 'Indexed') {
      errs.push(immutable(p.child('completions').path, spec['completions']));
    }
    const tmpl = (x: Obj): string => JSON.stringify(sortKeys(x['template']));
    if (o['template'] !== undefined && tmpl(spec) !== tmpl(o) && spec['suspend'] !== true) {
      errs.push(immutable(p.child('template').path, new GoValue('core.PodTemplateSpec{...}')));
    }
  }
  return errs;
}

export function validateCronJob(obj: Obj, old: Obj | undefined): FieldError[] {
  const spec = asObj(obj['spec']);
  const p = root('spec');
  const errs: FieldError[] = [];
  const schedule = asStr(spec['schedule']);
  if (schedule === '') errs.push(fieldErrors.required(p.child('schedule').path));
  else if (!/^(@(yearly|annually|monthly|weekly|daily|midnight|hourly|every \S+)|(\S+\s+){4}\S+)$/.test(schedule.replace(/^(CRON_)?TZ=\S+\s+/, ''))) {
    errs.push(fieldErrors.invalid(p.child('schedule').path, schedule, `unparseable schedule: expected exactly 5 fields, found ${schedule.trim().split(/\s+/).length}: ${JSON.stringify(schedule)}`));
  }
  const cp = spec['concurrencyPolicy'];
  if (cp !== undefined && !['Allow', 'Forbid', 'Replace'].includes(asStr(cp))) errs.push(fieldErrors.notSupported(p.child('concurrencyPolicy').path, cp, ['Allow', 'Forbid', 'Replace']));
  const jt = asObj(spec['jobTemplate']);
  const oldJt = old === undefined ? undefined : asObj(asObj(old['spec'])['jobTemplate']);
  errs.push(...validateJob(jt, oldJt === undefined ? undefined : undefined, p.child('jobTemplate').child('spec')));
  const name = asStr(asObj(obj['metadata'])['name']);
  if (name.length > 52) errs.push(fieldErrors.invalid('metadata.name', name, 'must be no more than 52 characters'));
  return errs;
}
