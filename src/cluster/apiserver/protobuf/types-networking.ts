/**
 * networking.k8s.io/v1 messages (Ingress, IngressClass), autoscaling/v1
 * HorizontalPodAutoscaler, scheduling.k8s.io/v1 PriorityClass and
 * certificates.k8s.io/v1 CertificateSigningRequest: what `kubectl create
 * ingress|priorityclass`, `kubectl autoscale` and `kubectl certificate
 * approve|deny` send.
 */
import type { MessageTable } from './message-table.js';

export const NETWORKING_TYPES: MessageTable = {
  Ingress: ['1 metadata ObjectMeta!', '2 spec IngressSpec!', '3 status IngressStatus!'],
  IngressSpec: ['4 ingressClassName!', '1 defaultBackend IngressBackend', '2 tls [IngressTLS]', '3 rules [IngressRule]'],
  IngressBackend: ['4 service IngressServiceBackend', '3 resource TypedLocalObjectReference'],
  IngressServiceBackend: ['1 name!', '2 port ServiceBackendPort!'],
  ServiceBackendPort: ['1 name', '2 number int32'],
  IngressTLS: ['1 hosts [string]', '2 secretName'],
  IngressRule: ['1 host', '2 * IngressRuleValue'],
  IngressRuleValue: ['1 http HTTPIngressRuleValue'],
  HTTPIngressRuleValue: ['1 paths [HTTPIngressPath]!'],
  HTTPIngressPath: ['1 path', '3 pathType!', '2 backend IngressBackend!'],
  IngressStatus: ['1 loadBalancer IngressLoadBalancerStatus!'],
  IngressLoadBalancerStatus: ['1 ingress [IngressLoadBalancerIngress]'],
  IngressLoadBalancerIngress: ['1 ip', '2 hostname', '4 ports [IngressPortStatus]'],
  IngressPortStatus: ['1 port int32!', '2 protocol!', '3 error!'],
  IngressClass: ['1 metadata ObjectMeta!', '2 spec IngressClassSpec!'],
  IngressClassSpec: ['1 controller', '2 parameters IngressClassParametersReference'],
  IngressClassParametersReference: ['1 apiGroup!', '2 kind!', '3 name!', '4 scope!', '5 namespace!'],
  HorizontalPodAutoscaler: ['1 metadata ObjectMeta!', '2 spec HorizontalPodAutoscalerSpec!', '3 status HorizontalPodAutoscalerStatus!'],
  HorizontalPodAutoscalerSpec: ['1 scaleTargetRef CrossVersionObjectReference!', '2 minReplicas int32!', '3 maxReplicas int32!', '4 targetCPUUtilizationPercentage int32!'],
  CrossVersionObjectReference: ['1 kind!', '2 name!', '3 apiVersion'],
  HorizontalPodAutoscalerStatus: [
    '1 observedGeneration int64!', '2 lastScaleTime Time', '3 currentReplicas int32!', '4 desiredReplicas int32!', '5 currentCPUUtilizationPercentage int32!',
  ],
  PriorityClass: ['1 metadata ObjectMeta!', '2 value int32!', '3 globalDefault bool', '4 description', '5 preemptionPolicy!'],
  CertificateSigningRequest: ['1 metadata ObjectMeta!', '2 spec CertificateSigningRequestSpec!', '3 status CertificateSigningRequestStatus!'],
  CertificateSigningRequestSpec: [
    '1 request bytes!', '7 signerName!', '8 expirationSeconds int32!', '5 usages [string]', '2 username', '3 uid', '4 groups [string]', '6 extra {ExtraValue}',
  ],
  CertificateSigningRequestStatus: ['1 conditions [CertificateSigningRequestCondition]', '2 certificate bytes'],
  CertificateSigningRequestCondition: ['1 type!', '6 status!', '2 reason', '3 message', '4 lastUpdateTime Time!', '5 lastTransitionTime Time!'],
};
