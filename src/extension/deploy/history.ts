/**
 * Gatewright: Show Deployment History — the design's earlier deployments in its resource group (the remembered
 * target, else one the user picks), newest first, read from Resource Manager: state, when, how long, and on
 * selection the outputs or the error in the "Gatewright Deployments" output.
 */
import * as vscode from 'vscode';
import { formatArmError, type ArmError } from '../../deploy/errors.js';
import { formatDuration, type DeploymentRecord } from '../../deploy/history.js';
import { formatOutputs } from '../../deploy/outputs.js';
import { DeploymentSession } from '../../deploy/session.js';
import { openSubscription } from '../../deploy/subscriptions.js';
import { designDocument } from '../commands/target.js';
import type { DeployServices } from './flow.js';
import { signIn } from './sign-in.js';
import { describeTarget, pickTarget, rememberedTarget, rememberTarget } from './target.js';

const ICON: Record<string, string> = { Succeeded: '$(pass)', Failed: '$(error)', Canceled: '$(circle-slash)', Running: '$(sync~spin)' };

export async function historyCommand(arg: unknown, services: DeployServices): Promise<void> {
  const { diagnostics, output, log } = services;
  const doc = await designDocument(arg, services, 'show the deployments of');
  if (!doc) return;
  const design = (await diagnostics.validate(doc)).parsed.design;
  if (!design) {
    void vscode.window.showErrorMessage(`Gatewright: ${vscode.workspace.asRelativePath(doc.uri)} does not read as a design; fix its errors first.`);
    return;
  }
  const signedIn = await signIn(log);
  if (!signedIn) return;
  const remembered = rememberedTarget(services.context.workspaceState, doc.uri);
  const target = remembered ?? (await pickTarget(signedIn, design, undefined));
  if (!target) return;
  if (target.createGroup) {
    void vscode.window.showInformationMessage(`Gatewright: resource group ${target.resourceGroup} does not exist yet, so ${design.metadata.name} has no deployments there.`);
    return;
  }
  if (!remembered) await rememberTarget(services.context.workspaceState, doc.uri, target);
  // A subscription of another tenant is read with a token of that tenant (the tenant Resource Manager names).
  const { connection } = await openSubscription({ credential: signedIn.credential, endpoint: signedIn.endpoint }, target.subscriptionId);
  const session = new DeploymentSession({ ...connection, subscriptionId: target.subscriptionId, resourceGroup: target.resourceGroup, design });
  const records = session.history({ limit: 100 });
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { record: DeploymentRecord }>(
    records.then((list) => {
      if (list.length === 0) throw new Error(`${design.metadata.name} has no deployments in ${describeTarget(target)}`);
      return list.map((r) => ({
        label: `${ICON[r.state] ?? '$(circle-outline)'} ${r.name}`,
        description: [r.state, r.timestamp?.toISOString().replace('T', ' ').slice(0, 19), r.durationMs !== undefined ? formatDuration(r.durationMs) : undefined].filter(Boolean).join(' · '),
        ...(r.error ? { detail: innermost(r.error) } : r.outputs.length ? { detail: `${r.outputs.length} output${r.outputs.length === 1 ? '' : 's'}` } : {}),
        record: r,
      }));
    }),
    { title: `Deployments of ${design.metadata.name} in ${target.resourceGroup}`, placeHolder: 'Pick one to see its outputs or its error', matchOnDescription: true, matchOnDetail: true },
  );
  if (!picked) return;
  output.appendLine('');
  output.append(describeRecord(picked.record));
  output.show(true);
}

/** The most specific error of a failure ("DeploymentFailed" wraps the resource's own), as "code: message". */
function innermost(error: ArmError): string {
  let e = error;
  while (e.details.length > 0) e = e.details[0]!;
  return `${e.code}: ${e.message}`;
}

/** A deployment record as the output shows it. */
export function describeRecord(r: DeploymentRecord): string {
  const lines = [
    `Deployment ${r.name}: ${r.state}`,
    ...(r.timestamp ? [`  when: ${r.timestamp.toISOString()}`] : []),
    ...(r.durationMs !== undefined ? [`  took: ${formatDuration(r.durationMs)}`] : []),
    ...(r.correlationId ? [`  correlation id: ${r.correlationId}`] : []),
  ];
  if (r.error) lines.push('  error:', formatArmError(r.error, '    '));
  lines.push('  outputs:', ...formatOutputs(r.outputs).trimEnd().split('\n').map((l) => `    ${l}`));
  return `${lines.join('\n')}\n`;
}
