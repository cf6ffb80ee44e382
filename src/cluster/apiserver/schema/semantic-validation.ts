/**
 * Semantic validation per kind: object metadata with the kind's name rule,
 * then the kind's own checks; on update, the immutable parts. CRD objects
 * get metadata checks here and schema checks in crd-validation.ts.
 */
import { root } from './field-errors.js';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment, type NameValidator } from './name-validation.js';
import { validateCrd } from './validate-crd.js';
import { validateConfigMap, validatePersistentVolumeClaim, validateSecret, validateService } from './validate-core.js';
import { asObj, validateObjectMeta, validateObjectMetaUpdate, type Obj } from './validate-meta.js';
import { validatePodSpec, validatePodSpecUpdate } from './validate-pod.js';
import { validateCronJob, validateDaemonSet, validateDeployment, validateJob, validateReplicaSet, validateReplicationController, validateStatefulSet } from './validate-workloads.js';
import type { FieldError, KubeObject, ResourceInfo, ValidateOptions } from './types.js';

/** group/resource → the name rule Kubernetes applies (DNS subdomain unless listed). */
const nameRules: Record<string, NameValidator> = {
  '/namespaces': nameIsDNSLabel,
  '/services': nameIsDNS1035Label,
  'apps/statefulsets': nameIsDNSLabel,
  'rbac.authorization.k8s.io/roles': nameIsPathSegment,
  'rbac.authorization.k8s.io/rolebindings': nameIsPathSegment,
  'rbac.authorization.k8s.io/clusterroles': nameIsPathSegment,
  'rbac.authorization.k8s.io/clusterrolebindings': nameIsPathSegment,
  'flowcontrol.apiserver.k8s.io/flowschemas': nameIsPathSegment,
};

type KindValidator = (obj: Obj, old: Obj | undefined) => FieldError[];

const kindValidators: Record<string, KindValidator> = {
  '/pods': (obj, old) => {
    const spec = asObj(obj['spec']);
    const errs = validatePodSpec(spec, root('spec'));
    if (old !== undefined) errs.push(...validatePodSpecUpdate(spec, asObj(old['spec']), root('spec')));
    return errs;
  },
  '/services': validateService,
  '/configmaps': validateConfigMap,
  '/secrets': validateSecret,
  '/persistentvolumeclaims': validatePersistentVolumeClaim,
  '/replicationcontrollers': (obj) => validateReplicationController(obj),
  'apps/deployments': validateDeployment,
  'apps/replicasets': (obj, old) => validateReplicaSet(obj, old),
  'apps/statefulsets': validateStatefulSet,
  'apps/daemonsets': validateDaemonSet,
  'batch/jobs': validateJob,
  'batch/cronjobs': validateCronJob,
  'apiextensions.k8s.io/customresourcedefinitions': validateCrd,
};

/** Kinds whose objects are not persisted and carry no meaningful metadata. */
const virtual = new Set(['authorization.k8s.io', 'authentication.k8s.io']);

export function validateSemantics(resource: ResourceInfo, obj: KubeObject, options: ValidateOptions): FieldError[] {
  if (virtual.has(resource.group) || resource.resource === 'bindings') return [];
  const key = `${resource.group}/${resource.resource}`;
  const old = options.operation === 'update' ? options.old : undefined;
  const meta = asObj(obj.metadata);
  const errs: FieldError[] = validateObjectMeta(meta, { namespaced: resource.namespaced, nameFn: nameRules[key] ?? nameIsDNSSubdomain }, root('metadata'));
  if (old !== undefined) errs.push(...validateObjectMetaUpdate(meta, asObj(old.metadata), root('metadata')));
  // Status writes only validate metadata; spec checks belong to the main resource.
  if (options.subresource === 'status') return errs;
  const kindCheck = resource.crd === undefined ? kindValidators[key] : undefined;
  if (kindCheck !== undefined) errs.push(...kindCheck(obj as Obj, old as Obj | undefined));
  return errs;
}
