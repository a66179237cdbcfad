/**
 * User-assigned managed identities (managedIdentity nodes) and their federation with AKS workloads.
 *
 * Facts (https://learn.microsoft.com/azure/aks/workload-identity-overview; API version 2024-11-30, AVM-tested):
 * - Microsoft.ManagedIdentity/userAssignedIdentities: location and tags only; properties.principalId (role
 *   assignments) and properties.clientId (what a Kubernetes service account names) are read-only outputs. Each
 *   identity's client id is a template output, for the service account annotation.
 * - Workload identity federation: userAssignedIdentities/federatedIdentityCredentials with the cluster's OIDC
 *   issuer (properties.oidcIssuerProfile.issuerURL of the managed cluster), the subject
 *   system:serviceaccount:<namespace>:<service account> and the audience api://AzureADTokenExchange.
 *
 * Where the credentials are made: the issuer is a property of the cluster, so the AKS builder calls
 * federateWithCluster() right after it creates each cluster. An identity is federated with a cluster when a
 * privateLink edge from the cluster names it (its workloads sign in as it); it gets one credential per namespace
 * of the cluster's services, for a service account named after the identity node (a DNS-1123 label already), so
 * that any service of the cluster can run as it. Azure refuses concurrent writes of federated credentials on one
 * identity, so the credentials of an identity are chained with dependsOn (AVM deploys them with @batchSize(1)).
 */
import type { NodeOf } from '../../schemas/design.js';
import { propOf } from '../ir/expr.js';
import { toIdentifier, type Resource } from '../ir/template.js';
import { kubernetesName } from '../naming.js';
import type { AzureBuild } from './build.js';
import { uniqueNodes } from '../../model/subnet-plan.js';

export const IDENTITY_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';
export const FEDERATED_CREDENTIAL_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials';
export const IDENTITY_API = '2024-11-30';
/** The audience AKS workload identity tokens carry. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export function buildIdentities(b: AzureBuild): void {
  for (const node of uniqueNodes(b.nodes('managedIdentity'))) {
    const r = b.resource({
      symbol: node.id,
      type: IDENTITY_TYPE,
      apiVersion: IDENTITY_API,
      name: b.name(node),
      description: `Managed identity "${node.id}"${node.label ? ` (${node.label})` : ''}.`,
      body: { ...b.placed(), properties: {} },
    });
    b.setNodeResource(node, r);
    b.t.output({
      name: clientIdOutput(node.id),
      type: 'string',
      value: propOf(r, 'properties', 'clientId'),
      description: `Client id of managed identity "${node.id}" (the azure.workload.identity/client-id annotation of the service accounts that run as it).`,
    });
  }
}

/** The name of the output that holds an identity's client id. */
export function clientIdOutput(identityId: string): string {
  return toIdentifier(`${identityId}-client-id`);
}

/** The service account a workload runs as to sign in as an identity node. */
export function serviceAccountName(identityId: string): string {
  return kubernetesName(identityId);
}

/** The managedIdentity nodes the workloads of a cluster sign in as (privateLink edges from it naming one), sorted. */
export function workloadIdentitiesOf(b: AzureBuild, aksId: string): string[] {
  const ids = new Set<string>();
  for (const e of b.index.outgoing(aksId, 'privateLink')) {
    const id = e.edge.properties.identity;
    if (id && b.index.nodes.get(id)?.type === 'managedIdentity') ids.add(id);
  }
  return [...ids].sort();
}

/** The last federated credential written on each identity, per build (the next one waits for it). */
const lastCredential = new WeakMap<AzureBuild, Map<string, Resource>>();

/** Federated identity credentials trusting the cluster's service accounts, for each identity its workloads use. */
export function federateWithCluster(b: AzureBuild, aks: NodeOf<'aksCluster'>, cluster: Resource): void {
  const identities = workloadIdentitiesOf(b, aks.id);
  if (!identities.length) return;
  if (!aks.properties.workloadIdentity) {
    b.notes.push(
      `AKS cluster "${aks.id}" has workload identity off (workloadIdentity: false): its workloads cannot sign in as ${identities.map((i) => `"${i}"`).join(', ')}, and no federated credential is created.`,
    );
    return;
  }
  const namespaces = [...new Set(aks.properties.services.map((s) => kubernetesName(s.namespace)))].sort();
  if (!namespaces.length) {
    b.notes.push(
      `AKS cluster "${aks.id}" lists no services, so no namespace is known for the service accounts of ${identities.map((i) => `"${i}"`).join(', ')}: no federated credential is created. Add the services (and their namespaces) to the cluster.`,
    );
    return;
  }
  let last = lastCredential.get(b);
  if (!last) lastCredential.set(b, (last = new Map()));
  for (const identityId of identities) {
    const identity = b.nodeResources.get(identityId);
    if (!identity) throw new Error(`identity: managed identity "${identityId}" has no resource; buildIdentities must run before the clusters`);
    const account = serviceAccountName(identityId);
    for (const namespace of namespaces) {
      const previous = last.get(identityId);
      const credential = b.resource({
        symbol: `${identityId}-${aks.id}-${namespace}-federation`,
        type: FEDERATED_CREDENTIAL_TYPE,
        apiVersion: IDENTITY_API,
        parent: identity,
        name: `${aks.id}-${namespace}`,
        description: `Lets service account ${namespace}/${account} of AKS cluster "${aks.id}" sign in as managed identity "${identityId}" (workload identity).`,
        body: {
          properties: {
            issuer: propOf(cluster, 'properties', 'oidcIssuerProfile', 'issuerURL'),
            subject: `system:serviceaccount:${namespace}:${account}`,
            audiences: [TOKEN_EXCHANGE_AUDIENCE],
          },
        },
        // One federated credential write at a time on an identity.
        ...(previous ? { dependsOn: [previous] } : {}),
      });
      last.set(identityId, credential);
    }
    b.notes.push(
      `Workloads of AKS cluster "${aks.id}" sign in as managed identity "${identityId}" through workload identity: in namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')}, run the pods with the ServiceAccount "${account}" annotated azure.workload.identity/client-id: <the ${clientIdOutput(identityId)} output of the deployment>, and label the pods azure.workload.identity/use: "true".`,
    );
  }
}
