/** Gatewright: Open as Text / Open in Designer — the same document in the other editor, beside. */
import * as vscode from 'vscode';
import { DESIGNER_VIEW_TYPE } from '../designer/provider.js';
import type { Services } from '../services.js';
import { designDocument } from './target.js';

export function registerOpen(services: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('gatewright.openAsText', async (uri?: vscode.Uri) => {
      const doc = await designDocument(uri, services, 'open');
      if (!doc) return;
      await vscode.commands.executeCommand('vscode.openWith', doc.uri, 'default', vscode.ViewColumn.Beside);
    }),
    vscode.commands.registerCommand('gatewright.openDesigner', async (uri?: vscode.Uri) => {
      const doc = await designDocument(uri, services, 'open');
      if (!doc) return;
      await vscode.commands.executeCommand('vscode.openWith', doc.uri, DESIGNER_VIEW_TYPE, vscode.ViewColumn.Beside);
    }),
  ];
}
