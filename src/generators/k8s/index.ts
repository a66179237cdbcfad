/** Kubernetes manifests for the ingress of each AKS cluster (k8s/ of `gatewright generate`). */
export { generateKubernetes, type KubernetesInputs, type KubernetesOutput } from './generate.js';
export type { GeneratedFile } from './cluster.js';
export { vaultNameOf, keyVaultCertificateUri, keyVaultCertificateName } from './keyvault.js';
export { certificateBlocks } from './ca-bundle.js';
export { APP_ROUTING_CLASS, INTERNAL_LB_ANNOTATION } from './app-routing.js';
export { GATEWAY_CLASS } from './gateway-api.js';
export { CLIENT_CA_NAME, BACKEND_CA_NAME, GATEWAY_NAME, GATEWAY_NAMESPACE, keyVaultTlsSecretName } from './names.js';
