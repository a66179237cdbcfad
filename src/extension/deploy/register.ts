/**
 * The deploy commands: Preview Deployment (What-If), Deploy to Azure, Show Deployment History and Forget
 * Deployment Target, with the "Gatewright Deployments" output channel they write to. An error of any step is
 * shown with Resource Manager's error in full in that output.
 */
import * as vscode from 'vscode';
import { DeployError } from '../../deploy/errors.js';
import { designUri } from '../commands/target.js';
import type { Services } from '../services.js';
import { deployFlow, errorText, type DeployMode, type DeployServices } from './flow.js';
import { historyCommand } from './history.js';
import { ParametersProblem } from './parameters.js';
import { rememberedTarget, rememberTarget } from './target.js';

export const DEPLOY_OUTPUT = 'Gatewright Deployments';

export function registerDeploy(services: Services): vscode.Disposable {
  const output = vscode.window.createOutputChannel(DEPLOY_OUTPUT);
  const deploy: DeployServices = { ...services, output };
  let running: string | undefined;

  const guarded = (what: string, run: (uri: unknown) => Promise<void>) => async (uri?: unknown) => {
    if (running) {
      void vscode.window.showWarningMessage(`Gatewright: ${running} is still running; wait for it to finish (or cancel it in its notification).`);
      return;
    }
    running = what;
    try {
      await run(uri);
    } catch (e) {
      // Cancelled by the user in a notification: said once, not as a failure.
      if (e instanceof DeployError && e.kind === 'canceled') {
        output.appendLine(`${what} was canceled: ${e.message}`);
        void vscode.window.showWarningMessage(`Gatewright: ${what} was canceled. ${e.message}`);
        return;
      }
      const text = errorText(e);
      output.appendLine(`${what} failed: ${text}`);
      services.log.error(`${what} failed: ${text.split('\n')[0]}`);
      const actions = e instanceof ParametersProblem ? ['Open Parameters File', 'Show Output'] : ['Show Output'];
      const action = await vscode.window.showErrorMessage(`Gatewright: ${what} failed: ${text.split('\n')[0]}`, ...actions);
      if (action === 'Show Output') output.show();
      if (action === 'Open Parameters File' && e instanceof ParametersProblem) await vscode.window.showTextDocument(e.file);
    } finally {
      running = undefined;
    }
  };
  const flow = (mode: DeployMode) => (uri: unknown) => deployFlow(uri, mode, deploy);

  return vscode.Disposable.from(
    output,
    vscode.commands.registerCommand('gatewright.whatIf', guarded('the what-if', flow('whatIf'))),
    vscode.commands.registerCommand('gatewright.deploy', guarded('the deployment', flow('deploy'))),
    vscode.commands.registerCommand('gatewright.deploymentHistory', guarded('reading the deployment history', (uri) => historyCommand(uri, deploy))),
    vscode.commands.registerCommand('gatewright.clearDeploymentTarget', async (arg?: unknown) => {
      const uri = designUri(arg, services);
      if (!uri) return;
      const before = rememberedTarget(services.context.workspaceState, uri);
      await rememberTarget(services.context.workspaceState, uri, undefined);
      void vscode.window.showInformationMessage(
        before ? `Gatewright: ${vscode.workspace.asRelativePath(uri)} will ask for its subscription and resource group on the next deployment.` : `Gatewright: ${vscode.workspace.asRelativePath(uri)} had no remembered deployment target.`,
      );
    }),
  );
}
