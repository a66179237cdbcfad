/** Test-only schema of a custom resource the Kubernetes generator writes. */
/** The schema of the NginxIngressController fields Gatewright writes, from the CRD of Azure/aks-app-routing-operator
 * (config/crd/bases/approuting.kubernetes.azure.com_nginxingresscontrollers.yaml, v1alpha1), unknown fields refused. */
export const NGINX_INGRESS_CONTROLLER_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'approuting.kubernetes.azure.com/v1alpha1' },
    kind: { const: 'NginxIngressController' },
    metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, namespace: false } },
    spec: {
      type: 'object',
      required: ['controllerNamePrefix', 'ingressClassName'],
      additionalProperties: false,
      properties: {
        controllerNamePrefix: { type: 'string', minLength: 1, maxLength: 60, pattern: '^[a-z0-9][-a-z0-9]*[a-z0-9]$' },
        ingressClassName: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[a-z0-9][-a-z0-9\\.]*[a-z0-9]$' },
        enableSSLPassthrough: { type: 'boolean' },
        httpDisabled: { type: 'boolean' },
        loadBalancerAnnotations: { type: 'object', additionalProperties: { type: 'string' } },
        loadBalancerSourceRanges: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};
