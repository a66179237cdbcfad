/**
 * Which design a command acts on: the URI it was given (editor title menu, explorer menu, the designer's own
 * buttons), else the focused designer, else the active text editor, else the active tab.
 */
import * as vscode from 'vscode';
import { DESIGN_SUFFIX } from '../../workspace/design-file.js';
import { isDesign } from '../diagnostics.js';
import type { Services } from '../services.js';

export function designUri(arg: unknown, services: Services): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const active = services.panels.active;
  if (active) return active.document.uri;
  const editor = vscode.window.activeTextEditor;
  if (editor && isDesign(editor.document)) return editor.document.uri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) {
    if (input.uri.path.endsWith(DESIGN_SUFFIX)) return input.uri;
  }
  return undefined;
}

/** The design document a command acts on; warns and gives undefined when there is none. */
export async function designDocument(arg: unknown, services: Services, action: string): Promise<vscode.TextDocument | undefined> {
  const uri = designUri(arg, services);
  const doc = uri ? await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined) : undefined;
  if (!doc || !isDesign(doc)) {
    void vscode.window.showWarningMessage(`Gatewright: open a *${DESIGN_SUFFIX} design to ${action} it.`);
    return undefined;
  }
  return doc;
}

/** The workspace folder of a document, or its own folder when it is outside every workspace folder. */
export function rootOf(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? vscode.Uri.joinPath(uri, '..').fsPath;
}
