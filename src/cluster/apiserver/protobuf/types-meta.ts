/**
 * Messages of k8s.io/apimachinery (meta/v1, runtime) shared by every group.
 * Time, MicroTime, Duration, IntOrString, Quantity, RawExtension, FieldsV1
 * and ExtraValue are special types the decoder renders itself.
 */
import type { MessageTable } from './message-table.js';

export const META_TYPES: MessageTable = {
  TypeMeta: ['1 apiVersion', '2 kind'],
  ObjectMeta: [
    '1 name', '2 generateName', '3 namespace', '4 selfLink', '5 uid', '6 resourceVersion',
    '7 generation int64', '8 creationTimestamp Time!', '9 deletionTimestamp Time', '10 deletionGracePeriodSeconds int64!',
    '11 labels {string}', '12 annotations {string}', '13 ownerReferences [OwnerReference]', '14 finalizers [string]',
    '17 managedFields [ManagedFieldsEntry]',
  ],
  OwnerReference: ['5 apiVersion!', '1 kind!', '3 name!', '4 uid!', '6 controller bool!', '7 blockOwnerDeletion bool!'],
  ManagedFieldsEntry: ['1 manager', '2 operation', '3 apiVersion', '4 time Time', '6 fieldsType', '7 fieldsV1 FieldsV1', '8 subresource'],
  ListMeta: ['1 selfLink', '2 resourceVersion', '3 continue', '4 remainingItemCount int64!'],
  LabelSelector: ['1 matchLabels {string}', '2 matchExpressions [LabelSelectorRequirement]'],
  LabelSelectorRequirement: ['1 key!', '2 operator!', '3 values [string]'],
  Condition: ['1 type!', '2 status!', '3 observedGeneration int64', '4 lastTransitionTime Time', '5 reason!', '6 message!'],
  DeleteOptions: [
    '1 gracePeriodSeconds int64!', '2 preconditions Preconditions', '3 orphanDependents bool!', '4 propagationPolicy!',
    '5 dryRun [string]', '6 ignoreStoreReadErrorWithClusterBreakingPotential bool!',
  ],
  Preconditions: ['1 uid!', '2 resourceVersion!'],
  CreateOptions: ['1 dryRun [string]', '3 fieldManager', '4 fieldValidation'],
  UpdateOptions: ['1 dryRun [string]', '2 fieldManager', '3 fieldValidation'],
  PatchOptions: ['1 dryRun [string]', '2 force bool!', '3 fieldManager', '4 fieldValidation'],
  Status: ['1 metadata ListMeta', '2 status', '3 message', '4 reason', '5 details StatusDetails', '6 code int32'],
  StatusDetails: ['1 name', '2 group', '3 kind', '6 uid', '4 causes [StatusCause]', '5 retryAfterSeconds int32'],
  StatusCause: ['1 reason', '2 message', '3 field'],
  Unknown: ['1 typeMeta TypeMeta', '2 raw bytes', '3 contentEncoding', '4 contentType'],
};
