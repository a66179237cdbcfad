/**
 * Names of the generated Kubernetes objects and files. Every object name is a DNS-1123 label derived from
 * design ids, so odd ids still give valid names; fixed names are the same in every cluster folder.
 */
import { kubernetesName } from '../naming.js';

export { kubernetesName };

/** The generic Secret (ingress controllers) or ConfigMap (Gateway API) whose `ca.crt` verifies client certificates. */
export const CLIENT_CA_NAME = 'mtls-client-ca';
/** The ConfigMap whose `ca.crt` a BackendTLSPolicy uses to verify the pods' certificates. */
export const BACKEND_CA_NAME = 'backend-ca';
/** Namespace and name of the Gateway (gatewayApi controller). */
export const GATEWAY_NAMESPACE = 'api-gateway';
export const GATEWAY_NAME = 'api-gateway';
/** The Gateway listener routes attach to. */
export const GATEWAY_LISTENER = 'https';
/** Dedicated internal app routing controller, only for TLS passthrough (the add-on's default one cannot pass TLS through). */
export const PASSTHROUGH_CONTROLLER = 'nginx-internal-passthrough';
/** Dedicated internal app routing controller that terminates TLS, its load balancer pinned to the ingress address. */
export const INTERNAL_CONTROLLER = 'nginx-internal';

/** The folder of a cluster under k8s/. */
export function clusterFolder(aksId: string): string {
  return kubernetesName(aksId);
}

/** The Secret holding the server certificate when it cannot come from Key Vault through the add-on. */
export function serverTlsSecretName(owner: string): string {
  return kubernetesName(`${owner}-tls`);
}

/** The Secret the app routing add-on syncs from Key Vault for an Ingress: exactly `keyvault-<ingress name>`. */
export function keyVaultTlsSecretName(ingressName: string): string {
  return `keyvault-${ingressName}`;
}
