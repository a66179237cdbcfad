/**
 * The optional `delivery` section of a design: where the design's repository lives and which Azure environments
 * the generated pipelines deploy to, in order (docs/design-format.md, "Delivery"). From it `gatewright generate`
 * writes GitHub Actions workflows or Azure Pipelines, and `gatewright ci bootstrap` the identity they sign in as.
 * Imports nothing of ours.
 */
import { z } from 'zod';

export const DELIVERY_PROVIDERS = ['github', 'azurePipelines'] as const;
export type DeliveryProvider = (typeof DELIVERY_PROVIDERS)[number];

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** GitHub: owner (1-39 letters, digits, hyphens) / repository (letters, digits, . _ -). */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
/** Azure DevOps: organization / project / repository (project and repository may hold spaces). */
export const AZURE_DEVOPS_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,49}\/[^/\s][^/]{0,63}\/[^/\s][^/]{0,63}$/;
/**
 * An environment name that is also usable, with - turned into _, as a GitHub job id, an Azure Pipelines stage name
 * and the suffix of a variable name.
 */
export const ENVIRONMENT_NAME = /^[A-Za-z][A-Za-z0-9-]{0,39}$/;
const RELATIVE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._/-]{1,200}$/;

export const DeliveryEnvironmentSchema = z.strictObject({
  name: z
    .string()
    .regex(ENVIRONMENT_NAME, 'must be a letter, then up to 39 letters, digits or hyphens (it names a GitHub environment or an Azure Pipelines stage)')
    .describe('Environment name: the GitHub environment (approvals, variables) or Azure DevOps environment of its deployment job.'),
  subscriptionId: z.string().regex(GUID, 'must be a subscription id (a GUID)').describe('The Azure subscription the environment deploys to.'),
  resourceGroup: z
    .string()
    .regex(/^[-\w.()]{0,89}[-\w()]$/u, 'must be 1-90 letters, digits, - _ . ( ), not ending with a period')
    .describe('The resource group the environment deploys to.'),
  location: z.string().regex(/^[a-z][a-z0-9]{1,39}$/, 'must be an Azure region name such as westeurope').describe('Azure region of the resource group.'),
  serviceConnection: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._ -]{0,98}[A-Za-z0-9])?$/, 'must be 1-100 letters, digits, spaces, . _ -, starting and ending with a letter or digit')
    .optional()
    .describe('Azure Pipelines only: the name of the Azure Resource Manager service connection (workload identity federation) of this environment.'),
});

export const DeliverySchema = z
  .strictObject({
    provider: z.enum(DELIVERY_PROVIDERS).describe('github: GitHub Actions workflows; azurePipelines: Azure Pipelines.'),
    repository: z
      .string()
      .min(1)
      .describe('GitHub: owner/name. Azure DevOps: organization/project/repository. Names the federated credentials\' subjects.'),
    organizationId: z
      .string()
      .regex(GUID, 'must be the Azure DevOps organization id (a GUID)')
      .optional()
      .describe('Azure Pipelines only: the id of the Azure DevOps organization, part of the issuer of its tokens (https://vstoken.dev.azure.com/<id>).'),
    mainBranch: z
      .string()
      .regex(/^(?![-/])(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,100}(?<![/.])$/, 'must be a branch name (letters, digits, . _ - /)')
      .default('main')
      .describe('The branch whose pushes deploy.'),
    designFile: z
      .string()
      .regex(RELATIVE_PATH, 'must be a path relative to the repository root, with / and without . or .. segments')
      .optional()
      .describe('Path of this design file from the repository root; <metadata.name>.gatewright.yaml when absent.'),
    outputFolder: z
      .string()
      .regex(RELATIVE_PATH, 'must be a path relative to the repository root, with / and without . or .. segments')
      .default('generated')
      .describe('The folder, from the repository root, that gatewright generate writes into (the pipelines check it is up to date).'),
    environments: z.array(DeliveryEnvironmentSchema).min(1, 'needs at least one environment').describe('Where the pipelines deploy, in order: each waits for the one before.'),
  })
  .superRefine((d, ctx) => {
    const repositoryOk = d.provider === 'github' ? GITHUB_REPOSITORY.test(d.repository) : AZURE_DEVOPS_REPOSITORY.test(d.repository);
    if (!repositoryOk) {
      ctx.addIssue({
        code: 'custom',
        path: ['repository'],
        message:
          d.provider === 'github'
            ? `"${d.repository}" is not a GitHub repository: write owner/name, such as contoso/payments`
            : `"${d.repository}" is not an Azure Repos repository: write organization/project/repository, such as contoso/Payments/payments-infra`,
      });
    }
    if (d.provider === 'azurePipelines' && d.organizationId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['organizationId'], message: 'azurePipelines needs organizationId: the Azure DevOps organization id (a GUID), the issuer of its tokens' });
    }
    if (d.provider === 'github' && d.organizationId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['organizationId'], message: 'organizationId is for azurePipelines only; GitHub tokens are issued by https://token.actions.githubusercontent.com' });
    }
    const seen = new Map<string, number>();
    d.environments.forEach((env, i) => {
      if (d.provider === 'azurePipelines' && env.serviceConnection === undefined) {
        ctx.addIssue({ code: 'custom', path: ['environments', i, 'serviceConnection'], message: `environment "${env.name}" needs serviceConnection: the Azure Pipelines service connection it deploys with` });
      }
      if (d.provider === 'github' && env.serviceConnection !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['environments', i, 'serviceConnection'], message: 'serviceConnection is for azurePipelines only; GitHub signs in with azure/login and the environment\'s variables' });
      }
      // GitHub compares environment names without regard to case; the job and stage ids turn - into _.
      const key = environmentKey(env.name);
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', i, 'name'],
          message: `environment "${env.name}" has the same name as environments[${first}] "${d.environments[first]!.name}" (GitHub compares environment names without regard to case)`,
        });
      } else {
        seen.set(key, i);
      }
    });
  });

/** The environment's name as an identifier: upper case, - as _ (PROD, STAGING_EU). Unique among a design's environments. */
export function environmentKey(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

export type Delivery = z.infer<typeof DeliverySchema>;
export type DeliveryEnvironment = z.infer<typeof DeliveryEnvironmentSchema>;
