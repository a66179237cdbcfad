/**
 * The federated identity credentials of the deployment identity: which tokens Microsoft Entra ID exchanges for the
 * identity's own, so that no pipeline stores a secret.
 *
 * - GitHub Actions (https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect,
 *   https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity):
 *   issuer https://token.actions.githubusercontent.com; the subject names the repository and what the job runs for:
 *   `repo:OWNER/NAME:environment:ENV` for a job with `environment: ENV` (the deployment, behind the environment's
 *   approvals), `repo:OWNER/NAME:pull_request` for a job of a pull request (the what-if), and
 *   `repo:OWNER/NAME:ref:refs/heads/BRANCH` for a job of a branch without an environment (the scheduled drift check).
 * - Azure Pipelines (https://learn.microsoft.com/azure/devops/pipelines/release/configure-workload-identity):
 *   issuer https://vstoken.dev.azure.com/ORGANIZATION-ID, subject `sc://ORGANIZATION/PROJECT/SERVICE-CONNECTION`.
 * The audience is api://AzureADTokenExchange for both. Pure.
 */
import type { Delivery, DeliveryEnvironment } from '../../schemas/delivery.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const AZURE_DEVOPS_ISSUER_BASE = 'https://vstoken.dev.azure.com/';
export const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';

export interface FederatedSubject {
  /** The credential's name under the identity (3-120 letters, digits, - and _). */
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  /** What it lets sign in, for the Bicep comment and the command's output. */
  readonly why: string;
}

/** The federated credentials of one environment's identity, in a stable order. */
export function federatedSubjects(delivery: Delivery, env: DeliveryEnvironment): FederatedSubject[] {
  if (delivery.provider === 'github') {
    const repo = delivery.repository;
    return [
      {
        name: 'github-environment',
        issuer: GITHUB_ISSUER,
        subject: `repo:${repo}:environment:${env.name}`,
        why: `the deployment job of GitHub environment "${env.name}" (gatewright-deploy.yml), which runs only once the environment's protection rules allow it`,
      },
      {
        name: 'github-pull-request',
        issuer: GITHUB_ISSUER,
        subject: `repo:${repo}:pull_request`,
        why: 'the what-if jobs of pull requests (gatewright-pr.yml); pull requests from forks get no token',
      },
      {
        name: 'github-main-branch',
        issuer: GITHUB_ISSUER,
        subject: `repo:${repo}:ref:refs/heads/${delivery.mainBranch}`,
        why: `the scheduled drift check on branch ${delivery.mainBranch} (gatewright-drift.yml)`,
      },
    ];
  }
  const [organization, project] = delivery.repository.split('/');
  return [
    {
      name: 'azure-devops-service-connection',
      issuer: `${AZURE_DEVOPS_ISSUER_BASE}${delivery.organizationId ?? ''}`,
      subject: `sc://${organization}/${project}/${env.serviceConnection ?? ''}`,
      why: `Azure Pipelines service connection "${env.serviceConnection ?? ''}" of project ${project}, used by every job of environment "${env.name}"`,
    },
  ];
}
