/** Gatewright: Validate — validates a design now and says how it went; the findings are in Problems. */
import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { designDocument } from './target.js';

export function registerValidate(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('gatewright.validate', async (uri?: vscode.Uri) => {
    const doc = await designDocument(uri, services, 'validate');
    if (!doc) return;
    const { summary } = await services.diagnostics.validate(doc);
    const text = `Gatewright: ${summary.errors} errors, ${summary.warnings} warnings, ${summary.infos} infos.`;
    if (summary.errors > 0) {
      void vscode.window.showErrorMessage(text, 'Show Problems').then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
    } else {
      void vscode.window.showInformationMessage(text);
    }
  });
}
