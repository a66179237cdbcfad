/** The "Continuous deployment" section of the generated README, when the design has a delivery section. Pure. */
import type { Design } from '../../schemas/design.js';
import { prose } from '../prose.js';
import { deliveryContext } from './context.js';
import { federatedSubjects } from './federation.js';
import { repositoryVariable, SIGN_IN_VARIABLES } from './github.js';
import { DRIFT_PIPELINE, PIPELINE } from './azure-pipelines.js';

export function deliverySection(design: Design): string[] {
  const ctx = deliveryContext(design);
  if (!ctx) return [];
  const { delivery } = ctx;
  const envs = ctx.environments.map((e) => `\`${e.name}\` (resource group \`${e.resourceGroup}\`, subscription \`${e.subscriptionId}\`)`).join(', then ');
  const lines = [
    '## Continuous deployment',
    '',
    `The design deploys from ${delivery.provider === 'github' ? 'GitHub Actions' : 'Azure Pipelines'} (${prose(delivery.repository)}) to ${envs}, signed in as a managed identity through workload identity federation: no secret is stored anywhere.`,
    '',
    `1. Once per environment, as an owner of its resource group: \`gatewright ci bootstrap ${ctx.designFile} --environment NAME\`. It deploys \`delivery/bootstrap.json\` (the identity, its federated credentials, Contributor and a Role Based Access Control Administrator limited to the roles the template assigns) and prints the values to set.`,
  ];
  if (delivery.provider === 'github') {
    lines.push(
      `2. In GitHub, create the environments (${ctx.environments.map((e) => `\`${e.name}\``).join(', ')}) with their protection rules, and set the variables the bootstrap prints: ${SIGN_IN_VARIABLES.map((v) => `\`${v}\``).join(', ')} on each environment (the deployment jobs), and ${ctx.environments.map((e) => `\`${repositoryVariable('AZURE_CLIENT_ID', e)}\``).join(', ')} and the like on the repository (the what-if and drift jobs, which have no environment). \`--write-github\` sets them with \`gh\`.`,
      `3. Copy \`${ctx.outputFolder}/.github/workflows/gatewright-*.yml\` to the repository's \`.github/workflows/\` (GitHub runs workflows only from there) and commit with \`${ctx.outputFolder}\`. Pull requests then validate, check \`${ctx.outputFolder}\` is up to date, build the Bicep and show each environment's what-if in the job summary; pushes to \`${delivery.mainBranch}\` deploy each environment in order; a daily run fails when an environment drifted from the design.`,
    );
  } else {
    lines.push(
      `2. In Azure DevOps, create per environment an Azure Resource Manager service connection with workload identity federation (manual), named as the design says (${ctx.environments.map((e) => `\`${e.serviceConnection ?? ''}\``).join(', ')}), with the client id, tenant and subscription the bootstrap prints; its issuer and subject are ${ctx.environments.map((e) => federatedSubjects(delivery, e).map((s) => `\`${s.issuer}\` / \`${prose(s.subject)}\``).join('')).join(', ')}. Create the environments (${ctx.environments.map((e) => `\`${e.name}\``).join(', ')}) with their approvals.`,
      `3. Create a pipeline from \`${ctx.outputFolder}/${PIPELINE}\` (validate, then per environment what-if and, on \`${delivery.mainBranch}\`, deploy) and one from \`${ctx.outputFolder}/${DRIFT_PIPELINE}\` (a daily what-if that fails on drift).`,
    );
  }
  lines.push('');
  return lines;
}
