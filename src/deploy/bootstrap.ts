/**
 * The bootstrap of continuous deployment, shared by `gatewright ci bootstrap` and VS Code's "Set Up Continuous
 * Deployment": the template of the identity an environment's pipelines sign in as (src/generators/delivery), the
 * values the pipelines need once it is deployed, and the GitHub CLI calls that set them. No I/O here: the front ends
 * deploy through DeploymentSession and run `gh` themselves.
 */
import { buildAzureDeployment } from '../generators/azure/index.js';
import { bootstrapParameters, bootstrapTemplate, federatedSubjects, repositoryVariable, SIGN_IN_VARIABLES, type DeliveryContext, type EnvironmentContext, type FederatedSubject } from '../generators/delivery/index.js';
import { GENERATOR } from '../generators/generate.js';
import { renderArm } from '../generators/ir/arm.js';
import type { Design } from '../schemas/design.js';
import type { DeploymentOutput } from './outputs.js';

export type SignInVariable = (typeof SIGN_IN_VARIABLES)[number];
export type SignInValues = Readonly<Record<SignInVariable, string>>;

export interface BootstrapDeployment {
  readonly env: EnvironmentContext;
  readonly template: Record<string, unknown>;
  readonly parameters: Record<string, { value: unknown }>;
  readonly subjects: readonly FederatedSubject[];
  /** The deployment's name in the resource group's history. */
  readonly deploymentName: string;
  /** What the confirmation says the bootstrap creates and grants, one sentence. */
  readonly description: string;
}

/** The bootstrap of one environment of a design's delivery section, as ARM JSON with its parameters. */
export function bootstrapDeployment(design: Design, ctx: DeliveryContext, env: EnvironmentContext): BootstrapDeployment {
  const template = JSON.parse(renderArm(bootstrapTemplate(ctx, buildAzureDeployment(design).template), GENERATOR)) as Record<string, unknown>;
  const parameters = Object.fromEntries(Object.entries(bootstrapParameters(ctx, env.name)).map(([k, v]) => [k, { value: v }]));
  const subjects = federatedSubjects(ctx.delivery, env);
  const aksAdmin = design.nodes.some((n) => n.type === 'aksCluster' && n.properties.azureRbac);
  const description =
    `It creates the identity id-${design.metadata.name}-cd-${env.name}, trusting:\n${subjects.map((s) => `  ${s.issuer} ${s.subject}\n`).join('')}` +
    `and gives it on the resource group: Contributor, Role Based Access Control Administrator (limited to the roles the design's template assigns)${aksAdmin ? ', Azure Kubernetes Service RBAC Cluster Admin' : ''}.\n`;
  return { env, template, parameters, subjects, deploymentName: `gatewright-bootstrap-${env.name}`, description };
}

/** The sign-in values from a succeeded bootstrap deployment's outputs; throws naming the missing output. */
export function signInValues(deploymentName: string, outputs: readonly DeploymentOutput[]): SignInValues {
  const output = (name: string): string => {
    const value = outputs.find((o) => o.name === name)?.value;
    if (typeof value !== 'string' || !value) throw new Error(`deployment ${deploymentName} succeeded but gave no ${name}`);
    return value;
  };
  return { AZURE_CLIENT_ID: output('clientId'), AZURE_TENANT_ID: output('tenantId'), AZURE_SUBSCRIPTION_ID: output('subscriptionId') };
}

/** What to set where, for people: the variables (identifiers, not secrets) or the service connection's fields. */
export function valuesToSet(provider: DeliveryContext['delivery']['provider'], env: EnvironmentContext, values: SignInValues, subjects: readonly FederatedSubject[]): string {
  const lines = SIGN_IN_VARIABLES.map((name) => `  ${name}=${values[name]}\n`).join('');
  if (provider === 'github') {
    return (
      `Set these variables (identifiers, not secrets) on GitHub environment "${env.name}":\n${lines}` +
      `and these on the repository (the what-if and drift jobs have no environment):\n` +
      SIGN_IN_VARIABLES.map((name) => `  ${repositoryVariable(name, env)}=${values[name]}\n`).join('')
    );
  }
  return (
    `Create the Azure Resource Manager service connection "${env.serviceConnection ?? ''}" with workload identity federation (manual), with:\n${lines}` +
    subjects.map((s) => `  issuer:  ${s.issuer}\n  subject: ${s.subject}\n`).join('')
  );
}

/** The `gh` calls that set the values: each variable on the environment, and suffixed with it on the repository. */
export function githubVariableCalls(repository: string, env: EnvironmentContext, values: SignInValues): string[][] {
  const calls: string[][] = [];
  for (const name of SIGN_IN_VARIABLES) {
    calls.push(['variable', 'set', name, '--env', env.name, '--body', values[name], '--repo', repository]);
    calls.push(['variable', 'set', repositoryVariable(name, env), '--body', values[name], '--repo', repository]);
  }
  return calls;
}
