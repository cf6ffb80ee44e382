/**
 * Access and coordination messages: authentication/v1 (TokenRequest,
 * TokenReview), authorization/v1 (self/subject access and rules reviews),
 * rbac/v1, coordination/v1 Lease, discovery/v1 EndpointSlice and
 * events.k8s.io/v1 Event.
 */
import type { MessageTable } from './message-table.js';

export const ACCESS_TYPES: MessageTable = {
  TokenRequest: ['1 metadata ObjectMeta!', '2 spec TokenRequestSpec!', '3 status TokenRequestStatus!'],
  TokenRequestSpec: ['1 audiences [string]!', '4 expirationSeconds int64!', '3 boundObjectRef BoundObjectReference'],
  BoundObjectReference: ['1 kind', '2 apiVersion', '3 name', '4 uid'],
  TokenRequestStatus: ['1 token!', '2 expirationTimestamp Time!'],
  TokenReview: ['1 metadata ObjectMeta!', '2 spec TokenReviewSpec!', '3 status TokenReviewStatus!'],
  TokenReviewSpec: ['1 token', '2 audiences [string]'],
  TokenReviewStatus: ['1 authenticated bool', '2 user UserInfo', '4 audiences [string]', '3 error'],
  UserInfo: ['1 username', '2 uid', '3 groups [string]', '4 extra {ExtraValue}'],
  SelfSubjectAccessReview: ['1 metadata ObjectMeta!', '2 spec SelfSubjectAccessReviewSpec!', '3 status SubjectAccessReviewStatus!'],
  SelfSubjectAccessReviewSpec: ['1 resourceAttributes ResourceAttributes', '2 nonResourceAttributes NonResourceAttributes'],
  LocalSubjectAccessReview: ['1 metadata ObjectMeta!', '2 spec SubjectAccessReviewSpec', '3 status SubjectAccessReviewStatus'],
  SubjectAccessReview: ['1 metadata ObjectMeta!', '2 spec SubjectAccessReviewSpec', '3 status SubjectAccessReviewStatus'],
  SubjectAccessReviewSpec: [
    '1 resourceAttributes ResourceAttributes', '2 nonResourceAttributes NonResourceAttributes', '3 user', '4 groups [string]',
    '5 extra {ExtraValue}', '6 uid',
  ],
  ResourceAttributes: [
    '1 namespace', '2 verb', '3 group', '4 version', '5 resource', '6 subresource', '7 name',
    '8 fieldSelector FieldSelectorAttributes', '9 labelSelector LabelSelectorAttributes',
  ],
  FieldSelectorAttributes: ['1 rawSelector', '2 requirements [FieldSelectorRequirement]'],
  FieldSelectorRequirement: ['1 key!', '2 operator!', '3 values [string]'],
  LabelSelectorAttributes: ['1 rawSelector', '2 requirements [LabelSelectorRequirement]'],
  NonResourceAttributes: ['1 path', '2 verb'],
  SubjectAccessReviewStatus: ['1 allowed bool!', '4 denied bool', '2 reason', '3 evaluationError'],
  SelfSubjectRulesReview: ['1 metadata ObjectMeta!', '2 spec SelfSubjectRulesReviewSpec!', '3 status SubjectRulesReviewStatus!'],
  SelfSubjectRulesReviewSpec: ['1 namespace'],
  SubjectRulesReviewStatus: ['1 resourceRules [ResourceRule]!', '2 nonResourceRules [NonResourceRule]!', '3 incomplete bool!', '4 evaluationError'],
  ResourceRule: ['1 verbs [string]!', '2 apiGroups [string]', '3 resources [string]', '4 resourceNames [string]'],
  NonResourceRule: ['1 verbs [string]!', '2 nonResourceURLs [string]'],
  Role: ['1 metadata ObjectMeta!', '2 rules [PolicyRule]!'],
  ClusterRole: ['1 metadata ObjectMeta!', '2 rules [PolicyRule]!', '3 aggregationRule AggregationRule'],
  AggregationRule: ['1 clusterRoleSelectors [LabelSelector]'],
  PolicyRule: ['1 verbs [string]!', '2 apiGroups [string]', '3 resources [string]', '4 resourceNames [string]', '5 nonResourceURLs [string]'],
  RoleBinding: ['1 metadata ObjectMeta!', '2 subjects [Subject]', '3 roleRef RoleRef!'],
  ClusterRoleBinding: ['1 metadata ObjectMeta!', '2 subjects [Subject]', '3 roleRef RoleRef!'],
  Subject: ['1 kind!', '2 apiGroup', '3 name!', '4 namespace'],
  RoleRef: ['1 apiGroup!', '2 kind!', '3 name!'],
  Lease: ['1 metadata ObjectMeta!', '2 spec LeaseSpec!'],
  LeaseSpec: [
    '1 holderIdentity!', '2 leaseDurationSeconds int32!', '3 acquireTime MicroTime', '4 renewTime MicroTime', '5 leaseTransitions int32!',
    '6 strategy!', '7 preferredHolder!',
  ],
  EndpointSlice: ['1 metadata ObjectMeta!', '4 addressType!', '2 endpoints [Endpoint]!', '3 ports [DiscoveryEndpointPort]'],
  Endpoint: [
    '1 addresses [string]!', '2 conditions EndpointConditions', '3 hostname!', '4 targetRef ObjectReference',
    '5 deprecatedTopology {string}', '6 nodeName!', '7 zone!', '8 hints EndpointHints',
  ],
  EndpointConditions: ['1 ready bool!', '2 serving bool!', '3 terminating bool!'],
  EndpointHints: ['1 forZones [ForZone]', '2 forNodes [ForNode]'],
  ForZone: ['1 name!'],
  ForNode: ['1 name!'],
  DiscoveryEndpointPort: ['1 name!', '2 protocol!', '3 port int32!', '4 appProtocol!'],
  EventsEvent: [
    '1 metadata ObjectMeta!', '2 eventTime MicroTime!', '3 series EventsEventSeries', '4 reportingController', '5 reportingInstance',
    '6 action', '7 reason', '8 regarding ObjectReference!', '9 related ObjectReference', '10 note', '11 type',
    '12 deprecatedSource EventSource!', '13 deprecatedFirstTimestamp Time!', '14 deprecatedLastTimestamp Time!', '15 deprecatedCount int32',
  ],
  EventsEventSeries: ['1 count int32!', '2 lastObservedTime MicroTime'],
};
