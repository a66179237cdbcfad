/**
 * Gatewright: Preview Deployment (What-If) and Gatewright: Deploy to Azure. One flow, stopping after the what-if
 * for the preview:
 *   validate (errors stop it) -> sign in -> subscription and resource group (remembered per design) -> generate in
 *   memory -> parameters (asked once, kept next to the design, never a secret) -> what-if, summarised in the
 *   output channel and drawn on the canvas node by node -> an explicit modal confirmation naming the subscription
 *   and the resource group -> the Key Vault certificates -> the ARM template deployed with a cancellable progress
 *   notification, each node's state drawn on the canvas as Resource Manager reports it -> outputs, or the failed
 *   resources with Resource Manager's error in full -> the cluster's manifests applied through the AKS run command,
 *   its output shown.
 * Nothing is created or changed in Azure before the user confirms: the what-if of a resource group that does not
 * exist previews it as new (every resource a Create) without creating it, and the group is created once the user
 * confirms the deployment. A subscription of another tenant is reached with a token of that tenant, the tenant
 * Resource Manager names when it refuses the home tenant's token.
 */
import * as vscode from 'vscode';
import { describeFailure, type DeployResult } from '../../deploy/deploy.js';
import { DeployError } from '../../deploy/errors.js';
import { formatDuration, parseIsoDuration } from '../../deploy/history.js';
import { indent } from '../../deploy/indent.js';
import { formatOutputs } from '../../deploy/outputs.js';
import type { PreparedDeployment } from '../../deploy/prepare.js';
import { APPLY_COMMAND } from '../../deploy/run-command.js';
import { DeploymentSession } from '../../deploy/session.js';
import { openSubscription } from '../../deploy/subscriptions.js';
import { checkNewNames, describeTakenNames } from '../../deploy/names.js';
import { describeApimExistence } from '../../deploy/apim-exists.js';
import type { DeploymentInput } from '../../deploy/target.js';
import { formatWhatIf, whatIfFailed, type WhatIfSummary } from '../../deploy/what-if-summary.js';
import { readCertificateFiles } from '../../workspace/certificate-files.js';
import { caPemsOf } from '../../generators/ca-pems.js';
import { generate } from '../../generators/generate.js';
import type { Design } from '../../schemas/design.js';
import { resourceGroupIdOf, uniqueNames, withUniqueNames } from '../../deploy/unique-names.js';
import { refuseErrors } from '../commands/generate.js';
import { designDocument, rootOf } from '../commands/target.js';
import type { Services } from '../services.js';
import { CertificateStep } from './certificates.js';
import { progressOverlay, resultOverlay, whatIfOverlay, whatIfTotals, type DeploymentOverlay } from './overlay.js';
import { resolveParameters } from './parameters.js';
import { signIn, type SignedIn } from './sign-in.js';
import { describeTarget, pickTarget, rememberedTarget, rememberTarget, type DeployTarget } from './target.js';
import { errorMessage } from '../../model/error-message.js';

export type DeployMode = 'whatIf' | 'deploy';

/** What the deploy commands share: the services and the output channel of deployments. */
export interface DeployServices extends Services {
  readonly output: vscode.OutputChannel;
}

/** Thrown when the user cancels a step: nothing more is said. */
class Cancelled extends Error {}

export async function deployFlow(arg: unknown, mode: DeployMode, services: DeployServices): Promise<void> {
  const { log, diagnostics } = services;
  const doc = await designDocument(arg, services, mode === 'deploy' ? 'deploy' : 'preview the deployment of');
  if (!doc) return;
  const designName = vscode.workspace.asRelativePath(doc.uri);

  // 1. The design as saved: what is deployed is what is in the file (and in git), never unsaved text.
  if (doc.isDirty) {
    const save = await vscode.window.showWarningMessage(`${designName} has unsaved changes. Save it before ${mode === 'deploy' ? 'deploying' : 'the what-if'}?`, { modal: true }, 'Save');
    if (save !== 'Save' || !(await doc.save())) return;
  }
  const analysis = await diagnostics.validate(doc);
  const design = analysis.design;
  if (!design || analysis.summary.errors > 0) {
    refuseErrors(designName, analysis.findings, services, 'deploy');
    return;
  }

  // 2. Who and where.
  const signedIn = await signIn(log);
  if (!signedIn) return;
  const remembered = rememberedTarget(services.context.workspaceState, doc.uri);
  let target = remembered ?? (await pickTarget(signedIn, design, undefined));
  if (!target) return;

  // 3. What: generated in memory, with every parameter.
  const files = await readCertificateFiles(doc.uri.fsPath, design, rootOf(doc.uri));
  const generated = generate(design, { caPems: caPemsOf(design, files) });
  for (const w of generated.warnings) log.warn(`deploy: ${w}`);
  const prepared = await resolveParameters(doc.uri, design, generated.files, log);
  if (!prepared?.input) return;

  const overlays = new Overlays(services, doc.uri);
  try {
    for (;;) {
      const connected = await inSubscriptionTenant(signedIn, target, services.output);
      const outcome = await previewAndConfirm({ doc, design, designName, mode, signedIn: connected, target, prepared, services, overlays });
      if (outcome === 'stop') return;
      if (outcome === 'change') {
        const next = await pickTarget(signedIn, design, target);
        if (!next) return;
        target = next;
        continue;
      }
      await rememberTarget(services.context.workspaceState, doc.uri, target);
      await deployConfirmed({ design, designName, signedIn: connected, target, prepared, services, overlays, summary: outcome.summary, certificates: outcome.certificates, newGroup: outcome.newGroup, input: outcome.input });
      return;
    }
  } catch (e) {
    if (e instanceof Cancelled) return;
    throw e;
  }
}

interface Step {
  readonly doc: vscode.TextDocument;
  readonly design: Design;
  readonly designName: string;
  readonly mode: DeployMode;
  readonly signedIn: SignedIn;
  readonly target: DeployTarget;
  readonly prepared: PreparedDeployment;
  readonly services: DeployServices;
  readonly overlays: Overlays;
}

/** The sign-in as the target's subscription needs it: with tokens of the subscription's tenant when that is not the account's home tenant. */
async function inSubscriptionTenant(signedIn: SignedIn, target: DeployTarget, output: vscode.OutputChannel): Promise<SignedIn> {
  const opened = await openSubscription({ credential: signedIn.credential, endpoint: signedIn.endpoint }, target.subscriptionId);
  if (!opened.tenantId) return signedIn;
  output.appendLine(`Subscription "${target.subscriptionName}" (${target.subscriptionId}) belongs to tenant ${opened.tenantId}: its tokens are asked for that tenant.`);
  return { ...signedIn, credential: opened.connection.credential, label: `${signedIn.label}, tenant ${opened.tenantId}` };
}

function sessionFor(signedIn: SignedIn, target: DeployTarget, design: Design): DeploymentSession {
  return new DeploymentSession({
    credential: signedIn.credential,
    endpoint: signedIn.endpoint,
    subscriptionId: target.subscriptionId,
    resourceGroup: target.resourceGroup,
    location: target.location,
    design,
  });
}

/** The what-if, its summary and the confirmation. 'change' asks for another target; 'stop' ends quietly. */
async function previewAndConfirm(step: Step): Promise<'stop' | 'change' | { summary: WhatIfSummary; certificates: CertificateStep; newGroup: boolean; input: DeploymentInput }> {
  const { design, designName, mode, signedIn, target, prepared, services, overlays } = step;
  const { output, log } = services;
  const session = sessionFor(signedIn, target, design);
  const where = describeTarget(target);

  // A group that does not exist (a new one, or a remembered one deleted since) is previewed as new, not created.
  const newGroup = target.createGroup || (await session.getResourceGroup()) === undefined;

  // Key Vault certificates: planned now (read-only), imported after the confirmation.
  const certificates = await CertificateStep.plan({ design, doc: step.doc, prepared, signedIn, target, log });

  output.appendLine('');
  output.appendLine(`What-if of ${designName} for ${where}, signed in as ${signedIn.label}:`);
  if (newGroup) output.appendLine(`Resource group ${target.resourceGroup} does not exist: the what-if previews it as new in ${target.location}, without creating it.`);
  const { summary, input } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Gatewright: what-if for ${target.resourceGroup}`, cancellable: true },
    async (progress, token) => {
      // API Management is declared once with its custom domain when it exists: its <id>Exists parameters say so, for
      // the what-if as for the deployment (src/deploy/apim-exists.ts).
      const apim = await session.withApimExistence(prepared.input!, { groupExists: !newGroup, signal: abortOn(token) });
      for (const line of describeApimExistence(apim.existence)) output.appendLine(line);
      progress.report({ message: newGroup ? 'Resource Manager previews the new resource group…' : 'Resource Manager compares the design with the resource group…' });
      const preview = newGroup ? await session.whatIfNewGroup(apim.input, { signal: abortOn(token) }) : await session.whatIf(apim.input, { signal: abortOn(token) });
      return { summary: preview, input: apim.input };
    },
  );
  output.append(formatWhatIf(summary));
  for (const line of certificates.describe()) output.appendLine(line);
  await overlays.show(whatIfOverlay(summary, newGroup ? `${where}; the group does not exist yet and is not created by the what-if` : where));
  const totals = whatIfTotals(summary);
  // A what-if Resource Manager could not run (HTTP 200 with status Failed) stops here: its error is on the canvas's
  // banner and in the output, and nothing is offered to deploy.
  if (whatIfFailed(summary)) {
    output.appendLine('Nothing deployed: the what-if failed.');
    output.show(true);
    log.error(`deploy: ${designName}: ${totals}`);
    void vscode.window.showErrorMessage(`Gatewright: ${totals.replace(/\.?$/, '.')} Nothing was deployed.`, 'Show Output').then((a) => a && output.show());
    return 'stop';
  }

  // Names unique in all of Azure that someone else holds would fail the deployment halfway: said before anything is created.
  const taken = describeTakenNames(await checkNewNames(session.target, summary), design);
  if (taken.length) {
    for (const line of taken) output.appendLine(line);
    output.appendLine('Nothing deployed: a name is taken.');
    output.show(true);
    log.error(`deploy: ${designName}: ${taken[0]}`);
    void vscode.window.showErrorMessage(`Gatewright: ${taken[0]}${taken.length > 1 ? ` (and ${taken.length - 1} more in the output)` : ''}`, 'Show Output').then((a) => a && output.show());
    return 'stop';
  }

  if (mode === 'whatIf') {
    const next = await vscode.window.showInformationMessage(`Gatewright: ${totals} (${target.resourceGroup}). The changes are drawn on the canvas.`, 'Deploy…', 'Show Details', 'Change Target…');
    if (next === 'Show Details') output.show(true);
    if (next === 'Change Target…') return 'change';
    if (next !== 'Deploy…') return 'stop';
  }

  const vault = certificates.confirmationLines();
  const answer = await vscode.window.showWarningMessage(
    `Deploy ${design.metadata.name} to subscription "${target.subscriptionName}" (${target.subscriptionId}), resource group ${target.resourceGroup}?`,
    {
      modal: true,
      detail: [totals, ...(newGroup ? [`Resource group ${target.resourceGroup} is created in ${target.location} first.`] : []), ...vault, `Signed in as ${signedIn.label}${signedIn.endpoint !== 'https://management.azure.com' ? ` at ${signedIn.endpoint}` : ''}.`, 'The what-if is in the "Gatewright Deployments" output and on the canvas.'].join('\n'),
    },
    'Deploy',
    'Change Target…',
  );
  if (answer === 'Change Target…') return 'change';
  if (answer !== 'Deploy') {
    log.info(`deploy: ${designName}: not confirmed; nothing deployed`);
    output.appendLine('Nothing deployed: not confirmed.');
    return 'stop';
  }
  return { summary, certificates, newGroup, input };
}

interface Confirmed {
  readonly design: Design;
  readonly designName: string;
  readonly signedIn: SignedIn;
  readonly target: DeployTarget;
  readonly prepared: PreparedDeployment;
  readonly services: DeployServices;
  readonly overlays: Overlays;
  readonly summary: WhatIfSummary;
  readonly certificates: CertificateStep;
  /** The resource group does not exist yet: created now that the user confirmed. */
  readonly newGroup: boolean;
  /** What the what-if previewed: the generated deployment with the API Management <id>Exists parameters set. */
  readonly input: DeploymentInput;
}

async function deployConfirmed(c: Confirmed): Promise<void> {
  const { design, designName, signedIn, target, prepared, services, overlays, summary } = c;
  const { output, log } = services;
  const session = sessionFor(signedIn, target, design);
  const where = describeTarget(target);
  if (c.newGroup) {
    const { created, group } = await session.ensureResourceGroup();
    output.appendLine(created ? `Created resource group ${group.name} in ${group.location}.` : `Resource group ${group.name} (${group.location}) exists already.`);
  }

  let result: DeployResult | undefined;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Gatewright: deploying ${design.metadata.name} to ${target.resourceGroup}`, cancellable: true },
    async (progress, token) => {
      const signal = abortOn(token);
      // Certificates first: the gateways read them from Key Vault while they deploy.
      const input = await c.certificates.run(c.input, (message) => {
        output.appendLine(message);
        progress.report({ message });
      }, signal);
      if (signal.aborted) throw new Cancelled();
      let reported = 0;
      result = await session.deploy(input, {
        signal,
        onProgress: (p) => {
          void overlays.show(progressOverlay(p, summary, where));
          for (const o of p.changed) {
            if (o.resourceName || o.resourceType) output.appendLine(`  ${o.state.padEnd(9)} ${o.resourceType ?? ''} ${o.resourceName ?? ''}${o.nodeId ? ` [${o.nodeId}]` : ''}`);
          }
          const ops = p.operations.filter((o) => o.resourceName || o.resourceType);
          const done = ops.filter((o) => o.state === 'Succeeded' || o.state === 'Failed' || o.state === 'Canceled').length;
          const increment = ops.length ? (100 * done) / Math.max(ops.length, summary.changes.length) - reported : 0;
          reported += Math.max(0, increment);
          progress.report({ message: `${p.state}: ${done} of ${ops.length} resource operations done`, ...(increment > 0 ? { increment } : {}) });
        },
      });
    },
  );
  if (!result) return;
  await overlays.show(resultOverlay(result, summary, where));

  if (result.state !== 'Succeeded') {
    const text = describeFailure(result);
    output.append(text);
    log.error(`deploy: ${designName}: ${text.split('\n')[0]}`);
    const first = result.failures[0];
    const headline =
      result.state === 'Canceled'
        ? `Gatewright: deployment ${result.deploymentName} was canceled.`
        : first
          ? `Gatewright: deployment failed: ${first.resourceType ?? ''} ${first.resourceName ?? ''}: ${first.error ? `${first.error.code}: ${first.error.message}` : 'no error given'}`
          : `Gatewright: deployment ${result.deploymentName} failed${result.error ? `: ${result.error.code}: ${result.error.message}` : ''}.`;
    const show = result.state === 'Canceled' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(headline, 'Show Output').then((a) => a && output.show());
    return;
  }
  const ms = result.duration ? parseIsoDuration(result.duration) : undefined;
  output.appendLine(`Deployment ${result.deploymentName} succeeded${ms !== undefined ? ` in ${formatDuration(ms)}` : ''}. Outputs:`);
  output.append(indent(formatOutputs(result.outputs)));
  log.info(`deploy: ${designName}: ${result.deploymentName} succeeded`);

  const clusters = await applyClusterManifests(session, prepared, services);
  const summaryText = `Gatewright: deployed ${design.metadata.name} to ${target.resourceGroup}${ms !== undefined ? ` in ${formatDuration(ms)}` : ''}${clusters}.`;
  void vscode.window.showInformationMessage(summaryText, 'Show Outputs').then((a) => a && output.show());
}

/** Applies each cluster's manifests through the AKS run command; returns a phrase for the final message. */
async function applyClusterManifests(session: DeploymentSession, prepared: PreparedDeployment, services: DeployServices): Promise<string> {
  const { output } = services;
  const phrases: string[] = [];
  for (const cluster of prepared.clusters) {
    output.appendLine(`Applying ${cluster.folder} to AKS cluster ${cluster.clusterName} through the run command (${APPLY_COMMAND})…`);
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Gatewright: applying the manifests to ${cluster.clusterName} (AKS run command)`, cancellable: true },
      // The files show a derived globally unique name as <prefix><suffix>: the real one in this resource group.
      (_progress, token) => session.applyManifests(cluster.clusterName, cluster.files.map((f) => ({ ...f, content: withUniqueNames(f.content, uniqueNames(session.design, resourceGroupIdOf(session.target))) })), abortOn(token)),
    );
    if (outcome.logs) output.append(indent(outcome.logs.endsWith('\n') ? outcome.logs : `${outcome.logs}\n`));
    if (outcome.state !== 'Succeeded' || outcome.exitCode !== 0) {
      const why = outcome.state !== 'Succeeded' ? `did not run (${outcome.state}${outcome.reason ? `: ${outcome.reason}` : ''})` : `exited with ${outcome.exitCode}`;
      output.appendLine(`${APPLY_COMMAND} on ${cluster.clusterName} ${why}; the generated k8s/README.md says what the manifests need before they apply.`);
      output.show(true);
      void vscode.window.showErrorMessage(`Gatewright: applying the manifests to ${cluster.clusterName} ${why}.`, 'Show Output').then((a) => a && output.show());
      phrases.push(`; ${cluster.clusterName}: manifests ${why}`);
    } else {
      output.appendLine(`${cluster.clusterName}: ${APPLY_COMMAND} exited with 0.`);
      phrases.push(`; manifests applied to ${cluster.clusterName}`);
    }
  }
  return phrases.join('');
}

/** Draws on every designer of the document; the sessions keep the last one for reloads. */
class Overlays {
  constructor(
    private readonly services: Services,
    private readonly uri: vscode.Uri,
  ) {}

  async show(message: DeploymentOverlay): Promise<void> {
    await Promise.all(this.services.panels.allFor(this.uri).map((d) => d.session.showOverlay(message)));
  }
}

/** An AbortSignal that aborts when VS Code's cancellation token is cancelled. */
function abortOn(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** The message of an error from the flow: Resource Manager's error in full for a DeployError. */
export function errorText(e: unknown): string {
  if (e instanceof DeployError) return e.describe();
  return errorMessage(e);
}
