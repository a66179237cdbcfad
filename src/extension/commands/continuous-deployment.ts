/**
 * Gatewright: Set Up Continuous Deployment — asks for the provider (GitHub Actions or Azure Pipelines), the
 * repository (proposed from the workspace's git remote) and the environments (subscription and resource group picked
 * from the signed-in account, as Deploy does), writes the design's `delivery` section as ONE edit of the document (one
 * undo step; docs/design-format.md, "Delivery"), runs Generate (which writes the pipelines and the bootstrap), then
 * offers to deploy an environment's bootstrap (the identity the pipelines sign in as): what-if, a confirmation naming
 * the subscription and resource group, the deployment, and the values to put in the repository's settings.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import * as vscode from 'vscode';
import { bootstrapDeployment, signInValues, valuesToSet, type SignInValues } from '../../deploy/bootstrap.js';
import { DeploymentSession } from '../../deploy/session.js';
import { openSubscription } from '../../deploy/subscriptions.js';
import { applyOperations } from '../../document/edits/index.js';
import { deliveryContext } from '../../generators/delivery/index.js';
import { errorMessage } from '../../model/error-message.js';
import { AZURE_DEVOPS_REPOSITORY, DeliveryEnvironmentSchema, DeliverySchema, ENVIRONMENT_NAME, GITHUB_REPOSITORY, type DeliveryEnvironment, type DeliveryProvider } from '../../schemas/delivery.js';
import type { Design } from '../../schemas/design.js';
import { readGitRemote } from '../../workspace/git-remote.js';
import { applyTextEdits } from '../designer/provider.js';
import { signIn, type SignedIn } from '../deploy/sign-in.js';
import { pickTarget } from '../deploy/target.js';
import type { Services } from '../services.js';
import { OUTPUT_FOLDER_SETTING } from './generate.js';
import { designDocument, rootOf } from './target.js';

export const SET_UP_CD_COMMAND = 'gatewright.setUpContinuousDeployment';

/** An input box's check with the format's own schema of that field: its message, or nothing when the value passes. */
function checkWith(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: readonly { message: string }[] } } }): (v: string) => string | undefined {
  return (v) => {
    const r = schema.safeParse(v.trim());
    return r.success ? undefined : `It ${r.error?.issues[0]?.message ?? 'is not valid'}.`;
  };
}

export function registerContinuousDeployment(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(SET_UP_CD_COMMAND, async (uri?: vscode.Uri) => {
    try {
      await setUp(uri, services);
    } catch (e) {
      const message = `Gatewright: setting up continuous deployment failed: ${errorMessage(e)}`;
      services.log.error(message);
      void vscode.window.showErrorMessage(message);
    }
  });
}

async function setUp(arg: unknown, services: Services): Promise<void> {
  const doc = await designDocument(arg, services, 'set up continuous deployment for');
  if (!doc) return;
  const analysis = await services.diagnostics.validate(doc);
  const design = analysis.design;
  if (!design) {
    void vscode.window.showErrorMessage(`Gatewright: ${vscode.workspace.asRelativePath(doc.uri)} is not a design Gatewright can read yet; fix the problems it shows first.`);
    return;
  }
  const root = rootOf(doc.uri);
  const title = `Continuous deployment of ${design.metadata.name}`;
  const existing = design.delivery;
  const remote = await readGitRemote(root);

  // 1. The provider: the existing section's, else the one the git remote is on, first.
  const preferred = existing?.provider ?? remote?.provider ?? 'github';
  const providers: (vscode.QuickPickItem & { provider: DeliveryProvider })[] = [
    { label: 'GitHub Actions', description: 'workflows, GitHub environments, azure/login with OpenID Connect', provider: 'github' },
    { label: 'Azure Pipelines', description: 'stages, Azure DevOps environments, a workload identity federation service connection', provider: 'azurePipelines' },
  ];
  providers.sort((a, b) => Number(b.provider === preferred) - Number(a.provider === preferred));
  const picked = await vscode.window.showQuickPick(providers, { title: `${title}: provider`, placeHolder: 'Where do the pipelines run?', ignoreFocusOut: true });
  if (!picked) return;
  const provider = picked.provider;

  // 2. The repository, proposed from the section or the git remote.
  const pattern = provider === 'github' ? GITHUB_REPOSITORY : AZURE_DEVOPS_REPOSITORY;
  const repository = await vscode.window.showInputBox({
    title: `${title}: repository`,
    prompt: provider === 'github' ? 'The GitHub repository, owner/name (its tokens name it in the federated credentials)' : 'The Azure Repos repository, organization/project/repository',
    value: existing?.provider === provider ? existing.repository : remote?.provider === provider ? remote.repository : '',
    ignoreFocusOut: true,
    validateInput: (v) => (pattern.test(v.trim()) ? undefined : provider === 'github' ? 'Write owner/name, such as contoso/payments.' : 'Write organization/project/repository, such as contoso/Payments/payments-infra.'),
  });
  if (repository === undefined) return;

  let organizationId: string | undefined;
  if (provider === 'azurePipelines') {
    organizationId = await vscode.window.showInputBox({
      title: `${title}: Azure DevOps organization id`,
      prompt: 'The id (a GUID) of the Azure DevOps organization: its tokens are issued by https://vstoken.dev.azure.com/<id> (Organization settings, or the service connection page)',
      value: existing?.organizationId ?? '',
      ignoreFocusOut: true,
      validateInput: checkWith(DeliverySchema.shape.organizationId.unwrap()),
    });
    if (organizationId === undefined) return;
    organizationId = organizationId.trim();
  }

  // 3. The environments, in the order they deploy; each target picked as Deploy picks one.
  const signedIn = await signIn(services.log);
  if (!signedIn) return;
  const environments: DeliveryEnvironment[] = [];
  const proposals = (existing?.environments ?? []).map((e) => e.name);
  for (;;) {
    const n = environments.length;
    const name = await vscode.window.showInputBox({
      title: `${title}: environment ${n + 1}`,
      prompt: 'Name of the environment (a GitHub environment or an Azure DevOps environment and stage): it deploys after the ones before it',
      value: proposals[n] ?? (n === 0 ? 'prod' : ''),
      ignoreFocusOut: true,
      validateInput: (v) => {
        const s = v.trim();
        if (!ENVIRONMENT_NAME.test(s)) return 'A letter, then up to 39 letters, digits or hyphens.';
        if (environments.some((e) => e.name.toLowerCase() === s.toLowerCase())) return `There is already an environment "${s}".`;
        return undefined;
      },
    });
    if (name === undefined) return;
    const target = await pickTarget({ credential: signedIn.credential, endpoint: signedIn.endpoint }, design, undefined, `${title}: environment ${name.trim()}`);
    if (!target) return;
    let serviceConnection: string | undefined;
    if (provider === 'azurePipelines') {
      serviceConnection = await vscode.window.showInputBox({
        title: `${title}: environment ${name.trim()}`,
        prompt: 'Name of the Azure Resource Manager service connection (workload identity federation) this environment deploys with',
        value: existing?.environments.find((e) => e.name === name.trim())?.serviceConnection ?? `${design.metadata.name}-${name.trim()}`,
        ignoreFocusOut: true,
        validateInput: checkWith(DeliveryEnvironmentSchema.shape.serviceConnection.unwrap()),
      });
      if (serviceConnection === undefined) return;
    }
    environments.push({
      name: name.trim(),
      subscriptionId: target.subscriptionId,
      resourceGroup: target.resourceGroup,
      location: target.location,
      ...(serviceConnection !== undefined ? { serviceConnection: serviceConnection.trim() } : {}),
    });
    const more = await vscode.window.showQuickPick(['Done', 'Add another environment'], {
      title: `${title}: ${environments.map((e) => e.name).join(' → ')}`,
      placeHolder: 'Another environment (it deploys after these)?',
      ignoreFocusOut: true,
    });
    if (more === undefined) return;
    if (more === 'Done') break;
  }

  // 4. The section, checked by the format's own schema, written as one edit.
  const setting = vscode.workspace.getConfiguration('gatewright', doc.uri).get<string>(OUTPUT_FOLDER_SETTING, 'generated');
  const outputFolder = toPosix(relative(root, resolve(dirname(doc.uri.fsPath), typeof setting === 'string' && setting.trim() ? setting.trim() : 'generated')));
  const candidate = {
    provider,
    repository: repository.trim(),
    ...(organizationId !== undefined ? { organizationId } : {}),
    ...(existing?.mainBranch !== undefined && existing.mainBranch !== 'main' ? { mainBranch: existing.mainBranch } : {}),
    designFile: toPosix(relative(root, doc.uri.fsPath)),
    outputFolder,
    environments,
  };
  const checked = DeliverySchema.safeParse(candidate);
  if (!checked.success) {
    throw new Error(checked.error.issues.map((i) => `delivery.${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const edit = applyOperations(doc.getText(), [{ op: 'setProperty', target: { kind: 'document' }, path: ['delivery'], value: candidate }]);
  if (!edit.ok) throw new Error(edit.error);
  if (edit.edits.length > 0 && !(await applyTextEdits(doc, edit.edits))) throw new Error('VS Code did not apply the edit of the design');
  services.log.info(`continuous deployment: delivery section written (${provider}, ${candidate.repository}, environments ${environments.map((e) => e.name).join(', ')})`);

  // 5. Generate: the pipelines and the bootstrap land with the rest of the generated files.
  await vscode.commands.executeCommand('gatewright.generate', doc.uri);

  // 6. The bootstrap of an environment, now or later (gatewright ci bootstrap does the same).
  const after = await services.diagnostics.validate(doc);
  if (!after.design || after.summary.errors > 0) return;
  const choice = await vscode.window.showInformationMessage(
    `Gatewright: continuous deployment with ${picked.label} is set up for ${environments.map((e) => e.name).join(', ')} (the design's delivery section; the pipelines are generated). Each environment needs its bootstrap once: the identity the pipelines sign in as.`,
    ...environments.map((e) => `Run Bootstrap of ${e.name}`),
    'Later',
  );
  const env = environments.find((e) => choice === `Run Bootstrap of ${e.name}`);
  if (env) await runBootstrap(after.design, env.name, signedIn, services);
}

/** Deploys one environment's bootstrap after a what-if and a confirmation; shows the values to set. */
export async function runBootstrap(design: Design, environment: string, signedIn: SignedIn, services: Services): Promise<SignInValues | undefined> {
  const ctx = deliveryContext(design);
  const env = ctx?.environments.find((e) => e.name === environment);
  if (!ctx || !env) throw new Error(`the design has no delivery environment "${environment}"`);
  const plan = bootstrapDeployment(design, ctx, env);
  const opened = await openSubscription({ credential: signedIn.credential, endpoint: signedIn.endpoint }, env.subscriptionId);
  const session = new DeploymentSession({ ...opened.connection, subscriptionId: env.subscriptionId, resourceGroup: env.resourceGroup, location: env.location, design });
  const input = { template: plan.template, parameters: plan.parameters };
  const group = await session.getResourceGroup();
  const preview = group ? await session.whatIf(input) : await session.whatIfNewGroup(input);
  const totals = (['create', 'modify', 'delete', 'noChange'] as const).filter((k) => preview.counts[k] > 0).map((k) => `${preview.counts[k]} to ${k === 'noChange' ? 'leave unchanged' : k}`).join(', ');
  const target = `subscription ${opened.subscription.displayName} (${env.subscriptionId}), resource group ${env.resourceGroup}`;
  const confirm = await vscode.window.showWarningMessage(
    `Deploy the bootstrap of "${env.name}" to ${target}?`,
    {
      modal: true,
      detail: [`What-if: ${totals || 'nothing'}.`, ...(group ? [] : [`Resource group ${env.resourceGroup} is created in ${env.location} first.`]), plan.description.trim(), `Signed in as ${signedIn.label}.`].join('\n'),
    },
    'Deploy',
  );
  if (confirm !== 'Deploy') return undefined;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Gatewright: deploying the bootstrap of ${env.name}` }, async () => {
    await session.ensureResourceGroup();
    return session.deploy(input, { deploymentName: plan.deploymentName });
  });
  if (result.state !== 'Succeeded') {
    const why = result.error ? `${result.error.code}: ${result.error.message}` : result.state;
    throw new Error(`the bootstrap deployment ${result.deploymentName} ended ${result.state} (${why})`);
  }
  const values = signInValues(result.deploymentName, result.outputs);
  const text = valuesToSet(ctx.delivery.provider, env, values, plan.subjects);
  services.log.info(`continuous deployment: bootstrap of ${env.name} deployed (${result.deploymentName}).\n${text}`);
  const next = await vscode.window.showInformationMessage(
    `Gatewright: the bootstrap of "${env.name}" is deployed. ${ctx.delivery.provider === 'github' ? `Set AZURE_CLIENT_ID=${values.AZURE_CLIENT_ID}, AZURE_TENANT_ID=${values.AZURE_TENANT_ID} and AZURE_SUBSCRIPTION_ID=${values.AZURE_SUBSCRIPTION_ID} on the GitHub environment "${env.name}" (and suffixed on the repository: see the Gatewright output).` : `Create the service connection "${env.serviceConnection ?? ''}" with client id ${values.AZURE_CLIENT_ID} (see the Gatewright output).`}`,
    'Copy Values',
    'Show Output',
  );
  if (next === 'Copy Values') await vscode.env.clipboard.writeText(text);
  if (next === 'Show Output') services.log.show(true);
  return values;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

